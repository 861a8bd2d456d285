import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SSE_LINE_CHARS, SseParser } from '../lib/sse-parser.js';

// What lib/live/sse.ts writes: an id line before chat events, comments as heartbeats, retry.
const stream = 'retry: 1500\n\n: heartbeat\n\nevent: status\ndata: {"isLive":false}\n\nid: 41\nevent: chat-message\ndata: {"id":"41"}\n\nevent: chat-room\ndata: {"open":true}\n\n';

describe('SSE parser', () => {
  it('dispatches events with their type, data and the last event id, and reads retry', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push(stream), [
      { event: 'status', data: '{"isLive":false}', lastEventId: '' },
      { event: 'chat-message', data: '{"id":"41"}', lastEventId: '41' },
      // An event without an id line keeps the last id (EventSource's last event ID string).
      { event: 'chat-room', data: '{"open":true}', lastEventId: '41' },
    ]);
    assert.equal(parser.retryMs, 1500);
  });

  it('gives the same events whatever the chunk boundaries (every split point, CRLF too)', () => {
    const expected = new SseParser().push(stream);
    // A trailing comment: a lone CR at the end of the text may still become CRLF, so it is held.
    for (const text of [stream, stream.replaceAll('\n', '\r\n'), stream.replaceAll('\n', '\r')].map((t) => `${t}: bye\n`)) {
      for (let cut = 0; cut <= text.length; cut++) {
        const parser = new SseParser();
        const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
        assert.deepEqual(events, expected, `split at ${cut} of ${JSON.stringify(text.slice(0, 20))}...`);
      }
    }
  });

  it('joins data lines, defaults the type to message, and dispatches nothing for a block without data', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: a\ndata:b\n\nevent: x\n\nid: 7\n\ndata\n\n'), [
      { event: 'message', data: 'a\nb', lastEventId: '' },
      { event: 'message', data: '', lastEventId: '7' },
    ]);
  });

  it('holds an incomplete event until its blank line', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: chat-message\ndata: {"id":"1"}\n'), []);
    assert.deepEqual(parser.push('\n'), [{ event: 'chat-message', data: '{"id":"1"}', lastEventId: '' }]);
  });

  it('refuses to buffer a line without end', () => {
    const parser = new SseParser();
    assert.throws(() => parser.push(`data: ${'x'.repeat(MAX_SSE_LINE_CHARS)}`), /longer than/);
  });
});
