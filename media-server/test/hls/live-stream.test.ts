import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HangUpSignal } from '../../src/hls/hang-up.js';
import { openLiveStream, type LiveStreamOptions } from '../../src/hls/live-stream.js';
import { createMemoryLogger } from '../../src/logger.js';
import { SyntheticPublisher } from './helpers/service-harness.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { avcC1920x1080 } from '../codec/records.js';

function stream(options: Partial<LiveStreamOptions> = {}) {
  const clock = new FakeClock();
  const live = openLiveStream({
    app: 'live',
    name: 'demo',
    id: 'abc',
    segmentDurationMs: 1000,
    partDurationMs: 500,
    windowSegments: 4,
    rewindSeconds: 3600,
    memorySegments: 4,
    maxSegmentBytes: 1_000_000,
    endGraceMs: 60_000,
    logger: createMemoryLogger(),
    clock,
    timers: clock,
    onRemoved: () => undefined,
    ...options,
  });
  return { ...live, clock };
}

describe('hls live stream: held requests', () => {
  it('a client that hangs up leaves no waiter behind', async () => {
    const { ingest, requests } = stream();
    new SyntheticPublisher(ingest.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(20);
    const hangUp = new HangUpSignal();
    let signalsMade = 0;
    const signalOf = () => {
      signalsMade++;
      return hangUp;
    };
    assert.equal((await requests.mediaPlaylist({ msn: 0, part: 0, skip: false }, signalOf)).status, 200);
    assert.equal(signalsMade, 0, 'a request answered at once never asks for its hang-up signal');
    const held = requests.mediaPlaylist({ msn: 0, part: 3, skip: false }, signalOf);
    const part = requests.part(1, signalOf); // the preload-hinted part
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(requests.heldRequests, 2);
    hangUp.abort();
    assert.equal((await held).status, 503);
    assert.equal(await part, undefined);
    assert.equal(requests.heldRequests, 0);
    ingest.remove();
  });

  it('removal answers every held request', async () => {
    const { ingest, requests } = stream();
    const held = requests.mediaPlaylist({ skip: false }); // no media yet: held until the first part
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(requests.heldRequests, 1);
    ingest.remove();
    assert.equal((await held).status, 404);
    assert.equal(requests.heldRequests, 0);
  });
});

describe('hls live stream: timers on the clock', () => {
  it('a reload that cannot be answered gets 503 after three target durations, and its timer goes', async () => {
    const { ingest, requests, clock } = stream(); // 1 s target: 3 s
    new SyntheticPublisher(ingest.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(20);
    const held = requests.mediaPlaylist({ msn: 0, part: 3, skip: false });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(2999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(requests.heldRequests, 1, 'still held just before the timeout');
    clock.advance(1);
    assert.equal((await held).status, 503);
    assert.equal(requests.heldRequests, 0);
    assert.equal(clock.pendingTimers, 0);
    ingest.remove();
  });

  it('grace, then ENDLIST, then removal after the longer of the grace and the playlist duration', async () => {
    for (const { endGraceMs, frames } of [
      { endGraceMs: 60_000, frames: 30 * 2.5 }, // the grace is longer
      { endGraceMs: 1000, frames: 30 * 5.5 }, // the playlist is longer
    ]) {
      let removedAt: number | undefined;
      const { ingest, requests, clock } = stream({ endGraceMs, onRemoved: () => (removedAt = clock.now()) });
      const publisher = new SyntheticPublisher(ingest.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) }));
      publisher.videoUntil(frames);
      publisher.sink.end('disconnect');
      clock.advance(endGraceMs - 1);
      assert.equal(ingest.state, 'grace');
      clock.advance(1);
      assert.equal(ingest.state, 'ended');
      const ended = await requests.mediaPlaylist({ skip: false });
      const text = ended.status === 200 ? Buffer.from(ended.body).toString() : '';
      assert.match(text, /#EXT-X-ENDLIST\n$/);
      const listedMs = Math.ceil([...text.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, match) => sum + Number(match[1]), 0) * 1000);
      const keptMs = Math.max(endGraceMs, listedMs);
      clock.advance(keptMs - 1);
      assert.equal(ingest.state, 'ended', `still served ${keptMs - 1} ms after ENDLIST`);
      clock.advance(1);
      assert.equal(ingest.state, 'removed');
      assert.equal(removedAt, endGraceMs + keptMs, 'onRemoved is called at removal');
    }
  });
});

describe('hls live stream: memory and files', () => {
  it('keeps the newest segments in memory and serves older ones from the spill directory', async () => {
    await withTempDir('onair-spill-', async (dir) => {
      const { ingest, requests } = stream({ memorySegments: 1, spillDir: join(dir, 'abc') });
      new SyntheticPublisher(ingest.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(30 * 4 + 14); // segments 0-3, part 8 of segment 4
      await ingest.diskFlushed();
      assert.deepEqual((await readdir(join(dir, 'abc', 'abc'))).sort(), ['seg-0.m4s', 'seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s'], 'only segments: init sections and playlists stay in memory');
      assert.deepEqual([0, 1, 2, 3].map((msn) => requests.segment(msn)?.kind), ['file', 'file', 'file', 'memory']);
      const oldest = requests.segment(0);
      assert.equal(oldest?.kind === 'file' && oldest.path, join(dir, 'abc', 'abc', 'seg-0.m4s'));
      const part = await requests.part(1);
      assert.ok(part?.kind === 'file' && part.offset > 0 && part.size > 0, 'a part of a segment on disk is a range of its file');
      assert.equal((await requests.part(8))?.kind, 'memory', 'the open segment is always in memory');
      const inMemory = ingest.stats().bytes;
      ingest.remove();
      await ingest.diskFlushed();
      assert.deepEqual(await readdir(dir), [], 'removal takes the files along');
      assert.ok(inMemory > 0);
    });
  });
});

describe('hls live stream: playlist timing is fixed for the whole stream', () => {
  it('EXT-X-TARGETDURATION, PART-TARGET, PART-HOLD-BACK and HOLD-BACK never change through a long GOP, gaps and a timestamp jump', async () => {
    const { ingest, requests } = stream({ segmentDurationMs: 2000, partDurationMs: 200, windowSegments: 7, memorySegments: 7 });
    const sink = ingest.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) });
    sink.write({ type: 'video-config', codec: 'h264', record: Buffer.from(avcC1920x1080, 'hex') });
    sink.write({ type: 'audio-config', codec: 'aac', config: Uint8Array.of(0x12, 0x10) });
    let audioMs = 0;
    const frames = (fromMs: number, toMs: number, keyEveryFrames: number) => {
      for (let i = 0; fromMs + Math.round((i * 1000) / 30) < toMs; i++) {
        const ms = fromMs + Math.round((i * 1000) / 30);
        for (; audioMs <= ms; audioMs += 1024000 / 44_100) if (audioMs >= fromMs) sink.write({ type: 'audio', timestamp: Math.round(audioMs) >>> 0, data: new Uint8Array(30) });
        sink.write({ type: 'video', timestamp: ms >>> 0, compositionOffset: 0, keyframe: i % keyEveryFrames === 0, data: new Uint8Array(300) });
      }
      audioMs = toMs;
    };
    const seen = new Map<string, Set<string>>();
    const check = async () => {
      const result = await requests.mediaPlaylist({ skip: false });
      assert.equal(result.status, 200);
      const text = result.status === 200 ? Buffer.from(result.body).toString() : '';
      const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)?.[1]);
      for (const [tag, pattern] of [
        ['target', /#EXT-X-TARGETDURATION:(\S+)/],
        ['part-target', /PART-TARGET=([\d.]+)/],
        ['part-hold-back', /PART-HOLD-BACK=([\d.]+)/],
        ['hold-back', /[^-]HOLD-BACK=([\d.]+)/],
      ] as const) {
        const values = seen.get(tag) ?? new Set<string>();
        values.add(pattern.exec(text)?.[1] ?? 'missing');
        seen.set(tag, values);
      }
      for (const match of text.matchAll(/#EXTINF:([\d.]+)/g)) assert.ok(Math.round(Number(match[1])) <= target, `EXTINF ${match[1]} over target ${target}:\n${text}`);
      for (const match of text.matchAll(/#EXT-X-PART:DURATION=([\d.]+)/g)) assert.ok(Number(match[1]) <= 0.2 + 1e-6, `part ${match[1]}:\n${text}`);
    };
    frames(0, 6000, 30); // 1 s GOP
    await check();
    frames(6000, 20_000, 300); // a 10 s GOP
    await check();
    frames(22_500, 30_000, 30); // a 2.5 s gap
    await check();
    frames(90_000, 100_000, 240); // a 60 s jump (repaired into a continuous timeline) and an 8 s GOP
    await check();
    frames(100_000, 104_000, 30);
    await check();
    assert.deepEqual(Object.fromEntries([...seen].map(([tag, values]) => [tag, [...values]])), {
      target: ['2'],
      'part-target': ['0.2'],
      'part-hold-back': ['0.6'],
      'hold-back': ['6'],
    });
    ingest.remove();
  });
});
