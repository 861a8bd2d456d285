import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findBox, listBoxes } from '../../src/mp4/box.js';
import { encodeFragment, type TrackRun } from '../../src/mp4/fragment.js';
import { parseFragments } from './parse.js';

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe('mp4 fragment (moof + mdat)', () => {
  const video: TrackRun = {
    trackId: 1,
    baseDecodeTime: 2 ** 32 + 90_000, // past 32 bits: tfdt must be version 1
    samples: [
      { duration: 3000, compositionOffset: 6000, keyframe: true, data: bytes(10, 1) },
      { duration: 3000, compositionOffset: -3000, keyframe: false, data: bytes(5, 2) },
      { duration: 2970, compositionOffset: 0, keyframe: false, data: bytes(7, 3) },
    ],
  };
  const audio: TrackRun = {
    trackId: 2,
    baseDecodeTime: 44_100,
    samples: [
      { duration: 1024, compositionOffset: 0, keyframe: true, data: bytes(4, 4) },
      { duration: 1024, compositionOffset: 0, keyframe: true, data: bytes(6, 5) },
    ],
  };
  const fragment = encodeFragment(7, [video, audio, { trackId: 3, baseDecodeTime: 0, samples: [] }]);

  it('is one moof followed by one mdat holding every sample once', () => {
    assert.deepEqual(listBoxes(fragment).map((b) => b.type), ['moof', 'mdat']);
    assert.equal(findBox(fragment, ['mdat'])[0]!.payload.length, 10 + 5 + 7 + 4 + 6);
    assert.equal(findBox(fragment, ['moof', 'traf']).length, 2, 'runs without samples are left out');
  });

  it('parses back to the input: sequence, times, durations, sizes, flags, signed offsets', () => {
    const [parsed] = parseFragments(fragment);
    assert.ok(parsed);
    assert.equal(parsed.sequenceNumber, 7);
    const [v, a] = parsed.trafs;
    assert.ok(v && a);
    assert.equal(v.trackId, 1);
    assert.equal(v.baseDecodeTime, 2 ** 32 + 90_000);
    assert.deepEqual(v.samples.map((s) => s.duration), [3000, 3000, 2970]);
    assert.deepEqual(v.samples.map((s) => s.size), [10, 5, 7]);
    assert.deepEqual(v.samples.map((s) => s.compositionOffset), [6000, -3000, 0]);
    assert.deepEqual(v.samples.map((s) => s.flags), [0x02000000, 0x01010000, 0x01010000]);
    assert.equal(a.trackId, 2);
    assert.equal(a.baseDecodeTime, 44_100);
    assert.deepEqual(a.samples.map((s) => s.size), [4, 6]);
    // data_offset (from the moof start) points at each track's first sample byte.
    assert.equal(fragment[v.dataOffset], 1);
    assert.equal(fragment[a.dataOffset], 4);
    assert.equal(fragment[a.dataOffset + 4], 5);
    assert.equal(a.dataOffset - v.dataOffset, 22);
  });

  it('writes no composition offsets for audio-only runs', () => {
    const trun = findBox(encodeFragment(1, [audio]), ['moof', 'traf', 'trun'])[0]!.payload;
    assert.equal(trun[3]! & 0x08, 0);
  });
});
