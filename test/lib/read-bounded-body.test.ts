// lib/read-bounded-body.ts: the byte cap shared by the RTMP callback routes and the media server client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBoundedBody } from '../../lib/read-bounded-body';

/** A web ReadableStream that yields `chunks` one read at a time and records whether it was cancelled. */
function streamOf(chunks: Uint8Array[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let index = 0;
  let wasCancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      wasCancelled = true;
    },
  });
  return { body, cancelled: () => wasCancelled };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readBoundedBody', () => {
  const cases: Array<{ name: string; chunks: Uint8Array[]; limit: number; text: string | null }> = [
    { name: 'an empty body', chunks: [], limit: 4, text: '' },
    { name: 'one chunk under the limit', chunks: [bytes('abc')], limit: 4, text: 'abc' },
    { name: 'chunks adding up to exactly the limit', chunks: [bytes('ab'), bytes('cd')], limit: 4, text: 'abcd' },
    { name: 'chunks going one byte past the limit', chunks: [bytes('ab'), bytes('cde')], limit: 4, text: null },
    { name: 'a single chunk past the limit', chunks: [bytes('abcdefgh')], limit: 4, text: null },
    // 'é' is two bytes split across chunks: decoding happens once, after concatenation.
    { name: 'a UTF-8 character split across chunks', chunks: [bytes('é').slice(0, 1), bytes('é').slice(1)], limit: 4, text: 'é' },
  ];
  for (const { name, chunks, limit, text } of cases) {
    it(name, async () => {
      const { body, cancelled } = streamOf(chunks);
      assert.equal(await readBoundedBody(body, limit), text);
      // An oversized body is cancelled so the peer stops sending; a complete one has nothing to cancel.
      assert.equal(cancelled(), text === null);
    });
  }

  it('reads a missing body as empty text', async () => {
    assert.equal(await readBoundedBody(null, 4), '');
  });

  it('reads a fetch Response body', async () => {
    assert.equal(await readBoundedBody(new Response('{"ok":true}').body, 64), '{"ok":true}');
    assert.equal(await readBoundedBody(new Response('x'.repeat(65)).body, 64), null);
  });
});
