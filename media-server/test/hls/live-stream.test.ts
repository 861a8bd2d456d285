import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LiveStream, type LiveStreamOptions } from '../../src/hls/live-stream.js';
import { createMemoryLogger } from '../../src/logger.js';
import { SyntheticPublisher } from './helpers/service-harness.js';
import { withTempDir } from '../helpers/temp-dir.js';

function stream(options: Partial<LiveStreamOptions> = {}) {
  return new LiveStream({
    app: 'live',
    name: 'demo',
    id: 'abc',
    segmentDurationMs: 1000,
    partDurationMs: 500,
    windowSegments: 4,
    memorySegments: 4,
    maxSegmentBytes: 1_000_000,
    endGraceMs: 60_000,
    logger: createMemoryLogger(),
    clock: { now: () => 0 },
    onRemoved: () => undefined,
    ...options,
  });
}

describe('hls live stream: held requests', () => {
  it('a client that hangs up leaves no waiter behind', async () => {
    const live = stream();
    new SyntheticPublisher(live.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(20);
    const hangUp = new AbortController();
    let signalsMade = 0;
    const signalOf = () => {
      signalsMade++;
      return hangUp.signal;
    };
    assert.equal((await live.mediaPlaylist({ msn: 0, part: 0, skip: false }, signalOf)).status, 200);
    assert.equal(signalsMade, 0, 'a request answered at once never asks for its hang-up signal');
    const held = live.mediaPlaylist({ msn: 0, part: 3, skip: false }, signalOf);
    const part = live.part(1, signalOf); // the preload-hinted part
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(live.heldRequests, 2);
    hangUp.abort();
    assert.equal((await held).status, 503);
    assert.equal(await part, undefined);
    assert.equal(live.heldRequests, 0);
    live.remove();
  });

  it('removal answers every held request', async () => {
    const live = stream();
    const held = live.mediaPlaylist({ skip: false }); // no media yet: held until the first part
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(live.heldRequests, 1);
    live.remove();
    assert.equal((await held).status, 404);
    assert.equal(live.heldRequests, 0);
  });
});

describe('hls live stream: memory and files', () => {
  it('keeps the newest segments in memory and serves older ones from the spill directory', async () => {
    await withTempDir('onair-spill-', async (dir) => {
      const live = stream({ memorySegments: 1, spillDir: join(dir, 'abc') });
      new SyntheticPublisher(live.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(30 * 4 + 14); // segments 0-3, part 8 of segment 4
      await live.diskFlushed();
      assert.deepEqual((await readdir(join(dir, 'abc', 'abc'))).sort(), ['seg-0.m4s', 'seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s'], 'only segments: init sections and playlists stay in memory');
      assert.deepEqual([0, 1, 2, 3].map((msn) => live.segment(msn)?.kind), ['file', 'file', 'file', 'memory']);
      const oldest = live.segment(0);
      assert.equal(oldest?.kind === 'file' && oldest.path, join(dir, 'abc', 'abc', 'seg-0.m4s'));
      const part = await live.part(1);
      assert.ok(part?.kind === 'file' && part.offset > 0 && part.size > 0, 'a part of a segment on disk is a range of its file');
      assert.equal((await live.part(8))?.kind, 'memory', 'the open segment is always in memory');
      const inMemory = live.stats().bytes;
      live.remove();
      await live.diskFlushed();
      assert.deepEqual(await readdir(dir), [], 'removal takes the files along');
      assert.ok(inMemory > 0);
    });
  });
});
