import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_EVENT_BYTES, serializeSseComment, serializeSseEvent, serializeSseRetry, SSE_HEADERS } from '../../../lib/live/sse.js';

describe('server-sent events', () => {
  const cases = [
    { name: 'viewers', text: serializeSseEvent('viewers', { viewers: 3 }), expected: 'event: viewers\ndata: {"viewers":3}\n\n' },
    {
      name: 'a payload with a newline stays on one data line',
      text: serializeSseEvent('status', { isLive: false, liveSince: null, lastLiveAt: null, title: 'a\nb', description: '', category: null }),
      expected: 'event: status\ndata: {"isLive":false,"liveSince":null,"lastLiveAt":null,"title":"a\\nb","description":"","category":null}\n\n',
    },
    { name: 'comment', text: serializeSseComment('ping\nx'), expected: ': ping x\n\n' },
    { name: 'retry', text: serializeSseRetry(2000.4), expected: 'retry: 2000\n\n' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(c.text, c.expected));

  it('refuses an event larger than the bound', () => {
    const recent = Array.from({ length: 2000 }, (_, i) => ({
      slug: `s${i}`, title: 'x'.repeat(200), category: null, streamer: 'x', isLive: false, liveSince: null, lastLiveAt: null, viewers: 0,
    }));
    assert.ok(JSON.stringify({ live: [], recent }).length > MAX_EVENT_BYTES);
    assert.throws(() => serializeSseEvent('directory', { live: [], recent }), /over/);
  });

  it('asks proxies not to buffer', () => {
    assert.equal(SSE_HEADERS['X-Accel-Buffering'], 'no');
    assert.match(SSE_HEADERS['Content-Type'] ?? '', /^text\/event-stream/);
  });
});
