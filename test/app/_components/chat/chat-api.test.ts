import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusalOf } from '../../../../app/_components/chat/chat-api.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const error = (code: string, message: string) => ({ error: { code, message } });

describe('chat refusals', () => {
  it("shows the server's sentence", async () => {
    assert.deepEqual(await refusalOf(json(403, error('forbidden', 'You are timed out for 5 more minutes.'))), {
      ok: false,
      status: 403,
      message: 'You are timed out for 5 more minutes.',
      retryAfterSeconds: null,
    });
  });

  it('keeps Retry-After for a countdown', async () => {
    const refusal = await refusalOf(json(429, error('rate_limited', 'Slow mode is on.'), { 'Retry-After': '7' }));
    assert.equal(refusal.retryAfterSeconds, 7);
    assert.equal(refusal.message, 'Slow mode is on.');
  });

  const fallbacks: Array<{ name: string; response: () => Response; message: string }> = [
    { name: 'an HTML error page', response: () => new Response('<html>502</html>', { status: 502 }), message: 'Something went wrong. Try again in a moment.' },
    { name: "zod's generic message", response: () => json(422, error('unprocessable_entity', 'invalid input')), message: 'That message cannot be sent.' },
    { name: 'no message', response: () => json(429, { error: { code: 'rate_limited' } }), message: 'Slow down a little.' },
    { name: 'a message too long to be meant for people', response: () => json(409, error('conflict', 'x'.repeat(301))), message: 'You just sent that.' },
  ];
  for (const c of fallbacks) it(`falls back on ${c.name}`, async () => assert.equal((await refusalOf(c.response())).message, c.message));

  it('ignores a Retry-After that is not a positive number', async () => {
    for (const value of ['soon', '0', '-3', 'Wed, 21 Oct 2026 07:28:00 GMT']) {
      assert.equal((await refusalOf(json(429, error('rate_limited', 'Wait.'), { 'Retry-After': value }))).retryAfterSeconds, null, value);
    }
  });
});
