import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SegmentStore, type SegmentStoreOptions, type StoredSegment } from '../../src/hls/segment-store.js';

function store(options: Partial<SegmentStoreOptions> = {}): SegmentStore {
  return new SegmentStore({ windowSegments: 3, memorySegments: 100, minimumListedSeconds: () => 6, ...options });
}

/** Adds `count` complete segments of two parts (100 + 50 bytes); returns what each end expired. */
function fill(into: SegmentStore, count: number, options: { duration?: number; discontinuityAt?: number; initId?: (msn: number) => number } = {}): StoredSegment[][] {
  const expired: StoredSegment[][] = [];
  for (let i = 0; i < count; i++) {
    const msn = into.nextMsn;
    into.startSegment(options.initId?.(msn) ?? 0, msn === options.discontinuityAt, new Date(msn * 1000));
    into.addPart(new Uint8Array(100).fill(msn), (options.duration ?? 2) / 2, true);
    into.addPart(new Uint8Array(50).fill(msn), (options.duration ?? 2) / 2, false);
    expired.push(into.endSegment(options.duration ?? 2).expired);
  }
  return expired;
}

describe('hls segment store', () => {
  it('while recorded, lists every segment up to the rewind; far behind the edge a segment forgets its parts', () => {
    let recording = true;
    const s = store({ rewindSeconds: () => (recording ? 3600 : 0) });
    const expired = fill(s, 12);
    assert.deepEqual(s.segments.map((segment) => segment.msn), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.ok(expired.every((list) => list.length === 0));
    // Twice the window (3) behind the newest: segments 0-5 dropped their part records.
    assert.deepEqual(s.segments.map((segment) => segment.partsForgotten === true), [true, true, true, true, true, true, false, false, false, false, false, false]);
    assert.equal(s.segments[0]?.parts.length, 0);
    assert.equal(s.segments[0]?.size, 150, 'the segment itself is whole');
    assert.equal(s.part(0), undefined);
    assert.equal(s.part(12)?.part.msn, 6);
    // The recording stops: the window rule is back.
    recording = false;
    fill(s, 1);
    assert.deepEqual(s.segments.map((segment) => segment.msn), [10, 11, 12]);
    assert.equal(s.segment(0)?.msn, 0, 'removed from the playlist, still servable for a while');
  });

  it('while recorded, lists the last rewindSeconds of segments; older ones leave the playlist and stay servable for the RFC retention', () => {
    const s = store({ rewindSeconds: () => 20 });
    const expired = fill(s, 30);
    // 2 s segments: the oldest leaves once the others list 20 s without it, so 20 s stay listed.
    assert.deepEqual(s.segments.map((segment) => segment.msn), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    // Segment j leaves a 22 s playlist when segment j + 10 completes: it stays until 2 + 22 s of
    // media later, when segment j + 22 completes.
    assert.deepEqual(expired.flat().map((segment) => segment.msn), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(expired[22]?.[0]?.msn, 0);
    assert.equal(s.segment(8)?.msn, 8, 'retired, still servable');
    assert.equal(s.segment(7), undefined);
  });

  it('lists a bounded window; removed segments stay servable for their duration plus the playlist duration', () => {
    const s = store();
    s.addInit(0, new Uint8Array(10));
    const expired = fill(s, 10);
    assert.deepEqual(s.segments.map((segment) => segment.msn), [7, 8, 9]);
    // Segment j leaves the playlist when segment j + 3 completes (at 2j + 8 s of media), from a
    // playlist of 4 segments (8 s): it stays until 2j + 8 + 2 + 8 s, i.e. until segment j + 8 completes.
    assert.deepEqual(expired.map((list) => list.map((segment) => segment.msn)), [[], [], [], [], [], [], [], [], [0], [1]]);
    assert.equal(s.segment(1), undefined);
    for (const msn of [2, 6, 7, 9]) assert.equal(s.segment(msn)?.msn, msn);
    assert.equal(s.segment(10), undefined, 'no segment beyond the last');
    assert.equal(s.memoryBytes, 8 * 150, 'listed and retired segments, nothing expired');
    assert.equal(s.lastMsn, 9);
  });

  it('finds parts of the open, listed and retired segments', () => {
    const s = store();
    fill(s, 10);
    s.startSegment(0, false, new Date(0));
    s.addPart(new Uint8Array(10), 1, true);
    assert.equal(s.part(20)?.part.msn, 10, 'the open segment');
    assert.equal(s.part(19)?.part.msn, 9);
    assert.deepEqual(s.part(19)?.part, { index: 19, msn: 9, duration: 1, independent: false, offset: 100, size: 50 });
    assert.equal(s.part(4)?.part.msn, 2, 'a retired segment');
    assert.equal(s.part(3), undefined, 'parts leave with their segment');
    assert.equal(s.part(21), undefined);
  });

  it('keeps the newest memorySegments in memory and drops older ones once they are on disk', () => {
    const s = store({ windowSegments: 5, memorySegments: 2 });
    fill(s, 5);
    assert.equal(s.memoryBytes, 5 * 150, 'nothing is on disk yet: everything stays');
    for (const segment of s.segments.slice(0, 4)) s.markOnDisk(segment);
    assert.deepEqual(s.segments.map((segment) => segment.chunks !== null), [false, false, false, true, true]);
    assert.equal(s.memoryBytes, 2 * 150);
    fill(s, 1);
    assert.deepEqual(s.segments.map((segment) => segment.msn), [1, 2, 3, 4, 5]);
    assert.deepEqual(s.segments.map((segment) => segment.chunks !== null), [false, false, false, true, true], 'the newest two, 4 (not on disk) and 5');
    assert.equal(s.segment(0)?.chunks, null, 'retired and on disk');
    assert.equal(s.segment(4)?.chunks?.length, 2, 'not written yet: still in memory');
  });

  it('never shrinks the playlist below three target durations', () => {
    const s = store({ windowSegments: 2 });
    fill(s, 8, { duration: 1 });
    assert.equal(s.segments.length, 6, 'six 1 s segments stay listed for a 6 s minimum');
  });

  it('counts discontinuities that leave the window and drops init sections nothing uses', () => {
    const s = store({ windowSegments: 2, minimumListedSeconds: () => 0 });
    // Init sections arrive right before the segments that use them, as the packager emits them.
    s.addInit(0, new Uint8Array(1));
    fill(s, 2);
    s.addInit(1, new Uint8Array(1));
    fill(s, 4, { discontinuityAt: 2, initId: () => 1 });
    assert.equal(s.discontinuitySequence, 1);
    assert.ok(s.init(0), 'a retired segment still uses it');
    fill(s, 4, { initId: () => 1 });
    s.addInit(2, new Uint8Array(1));
    fill(s, 1, { initId: () => 1 });
    assert.equal(s.init(0), undefined);
    assert.ok(s.init(1));
    assert.ok(s.init(2), 'the newest init section stays for the segment to come');
  });

  it('a segment that got no part is forgotten, its number reused', () => {
    const s = store();
    s.startSegment(0, false, new Date(0));
    assert.equal(s.endSegment(1).completed, undefined);
    assert.equal(s.nextMsn, 0);
  });
});
