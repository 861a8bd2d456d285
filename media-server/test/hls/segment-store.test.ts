import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DiskCopy, SegmentStore } from '../../src/hls/segment-store.js';
import { createMemoryLogger } from '../../src/logger.js';

function fill(store: SegmentStore, count: number, options: { duration?: number; discontinuityAt?: number; initId?: (msn: number) => number } = {}) {
  for (let i = 0; i < count; i++) {
    const msn = store.nextMsn;
    store.startSegment(options.initId?.(msn) ?? 0, msn === options.discontinuityAt, new Date(msn * 1000));
    store.addPart(new Uint8Array(100), (options.duration ?? 2) / 2, true);
    store.addPart(new Uint8Array(50), (options.duration ?? 2) / 2, false);
    store.endSegment(options.duration ?? 2);
  }
}

describe('hls segment store', () => {
  it('keeps a bounded window of complete segments and frees their bytes', () => {
    const store = new SegmentStore({ windowSegments: 3, minimumListedSeconds: () => 6 });
    store.addInit(0, new Uint8Array(10));
    fill(store, 10);
    assert.deepEqual(store.segments.map((s) => s.msn), [7, 8, 9]);
    assert.equal(store.totalBytes, 3 * 150);
    assert.equal(store.segment(6), undefined);
    assert.equal(store.segment(8)?.parts.length, 2);
    assert.equal(store.part(13), undefined, 'parts leave with their segment');
    assert.equal(store.part(14)?.msn, 7);
    assert.equal(store.lastMsn, 9);
  });

  it('never shrinks the playlist below three target durations', () => {
    const store = new SegmentStore({ windowSegments: 2, minimumListedSeconds: () => 6 });
    fill(store, 8, { duration: 1 });
    assert.equal(store.segments.length, 6, 'six 1 s segments stay listed for a 6 s minimum');
  });

  it('counts discontinuities that leave the window and drops init sections nothing uses', () => {
    const store = new SegmentStore({ windowSegments: 2, minimumListedSeconds: () => 0 });
    // Init sections arrive right before the segments that use them, as the packager emits them.
    store.addInit(0, new Uint8Array(1));
    fill(store, 2);
    store.addInit(1, new Uint8Array(1));
    fill(store, 4, { discontinuityAt: 2, initId: () => 1 });
    store.addInit(2, new Uint8Array(1));
    assert.equal(store.discontinuitySequence, 1);
    assert.equal(store.init(0), undefined);
    assert.ok(store.init(1));
    assert.ok(store.init(2), 'the newest init section stays for the segment to come');
  });

  it('a segment that got no part is forgotten, its number reused', () => {
    const store = new SegmentStore({ windowSegments: 3, minimumListedSeconds: () => 0 });
    store.startSegment(0, false, new Date(0));
    assert.equal(store.endSegment(1).completed, undefined);
    assert.equal(store.nextMsn, 0);
  });

  it('the disk copy writes files atomically and removes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onair-disk-'));
    try {
      const disk = new DiskCopy(join(dir, 'live', 'show'), createMemoryLogger());
      disk.reset();
      disk.writeFile('abc/seg-0.m4s', [Uint8Array.of(1, 2), Uint8Array.of(3)]);
      disk.writeFile('media.m3u8', [Buffer.from('#EXTM3U\n')]);
      await disk.flushed();
      assert.deepEqual([...(await readFile(join(dir, 'live', 'show', 'abc', 'seg-0.m4s')))], [1, 2, 3]);
      assert.deepEqual((await readdir(join(dir, 'live', 'show'))).sort(), ['abc', 'media.m3u8']);
      disk.remove('abc/seg-0.m4s');
      await disk.flushed();
      assert.deepEqual(await readdir(join(dir, 'live', 'show', 'abc')), []);
      disk.removeAll();
      await disk.flushed();
      assert.deepEqual(await readdir(join(dir, 'live')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
