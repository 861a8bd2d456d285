import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelEventStream, eventStreamResponse, READER_QUEUE_MAX_BYTES, type StreamOut } from '../../../lib/live/event-stream.js';
import { PublishedEvent } from '../../../lib/live/published-event.js';
import { LiveHub, type ChannelRow, type LiveDataSource } from '../../../lib/live/live-hub.js';
import { ViewerPresence } from '../../../lib/live/presence.js';
import { manualClock } from '../../helpers/clock';
import { recordingLogger } from '../../helpers/logger';

const alice: ChannelRow = {
  id: 'c1', slug: 'alice', title: 'Hello', description: '', category: null, streamer: 'Alice',
  isLive: false, liveSince: null, lastLiveAt: null,
};

function hubWith(rows: ChannelRow[]) {
  const source: LiveDataSource = { channels: async () => rows, recentlyLive: async () => [], recordPeak: async () => {} };
  const presence = new ViewerPresence({ clock: manualClock() });
  const hub = new LiveHub({ source, presence, clock: manualClock(), timers: { setInterval: () => 1, clearInterval: () => {} } });
  return { hub, presence };
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  while (!pattern.test(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
    text += decoder.decode(value);
  }
  return text;
}

describe('event streams', () => {
  it('a channel stream counts its tab, sends status and viewers, and lets go on abort', async () => {
    const { hub, presence } = hubWith([alice]);
    const abort = new AbortController();
    const response = channelEventStream({ row: alice, hub, presence, signal: abort.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    const reader = response.body!.getReader();
    const text = await readUntil(reader, /event: viewers\n/);
    assert.match(text, /^retry: 2000\n\nevent: status\ndata: \{"isLive":false,/);
    assert.match(text, /event: viewers\ndata: \{"viewers":1\}\n\n/);
    assert.equal(presence.count('c1'), 1);
    assert.equal(hub.listening, true);

    abort.abort();
    assert.equal((await reader.read()).done, true, 'body closed');
    assert.equal(presence.count('c1'), 0, 'viewer gone');
    assert.equal(hub.listening, false, 'subscription gone');
  });

  it('a cancelled body (server side) also lets go', async () => {
    const { hub, presence } = hubWith([alice]);
    const response = channelEventStream({ row: alice, hub, presence, signal: new AbortController().signal });
    await response.body!.cancel();
    assert.equal(presence.count('c1'), 0);
    assert.equal(hub.listening, false);
  });

  it('writes heartbeats and reports them', async () => {
    let beats = 0;
    const response = eventStreamResponse({
      signal: new AbortController().signal, heartbeatMs: 20, subscribe: () => () => {}, onHeartbeat: () => beats++,
    });
    const reader = response.body!.getReader();
    const text = await readUntil(reader, /: keep-alive\n\n: keep-alive\n\n/);
    assert.ok(text.startsWith('retry: 2000\n\n'));
    assert.ok(beats >= 2);
    await reader.cancel();
  });

  it('an already aborted request ends at once', async () => {
    let cleaned = 0;
    const abort = new AbortController();
    abort.abort();
    const response = eventStreamResponse({ signal: abort.signal, subscribe: () => () => cleaned++ });
    const text = await new Response(response.body).text();
    assert.equal(text, 'retry: 2000\n\n');
    assert.equal(cleaned, 1);
  });

  it('a reader that stops reading is dropped past its byte bound; one that reads gets every event', async () => {
    const outs: StreamOut[] = [];
    const logger = recordingLogger();
    let ended = 0;
    const open = () =>
      eventStreamResponse({
        signal: new AbortController().signal,
        maxQueuedBytes: 4096,
        subscribe: (_send, out) => {
          outs.push(out);
          return () => {};
        },
        onEnd: () => ended++,
        logger,
      });
    const stalled = open();
    const reading = open();
    const reader = reading.body!.getReader();
    const received: string[] = [];
    const decoder = new TextDecoder();
    const pump = (async () => {
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (text.includes('id: 100\n')) break;
      }
      received.push(...[...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]!));
    })();
    for (let id = 1; id <= 100; id++) {
      const event = new PublishedEvent('chat-delete', { ids: [String(id).padStart(80, '0')] }, id);
      for (const out of outs) out.sendPublished(event);
      // Let the reading side drain between events, as a socket would.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await pump;
    assert.deepEqual(received, Array.from({ length: 100 }, (_, i) => String(i + 1)), 'every event, in order');
    assert.equal(ended, 1, 'only the stalled reader ended');
    assert.deepEqual(logger.lines.map((l) => [l.level, l.event]), [['warn', 'event_stream_slow_reader_dropped']]);
    await assert.rejects(new Response(stalled.body).text(), /fell more than 4096 bytes behind/);
    await reader.cancel();
  });

  it('the default bound is 256 KiB', () => assert.equal(READER_QUEUE_MAX_BYTES, 256 * 1024));
});
