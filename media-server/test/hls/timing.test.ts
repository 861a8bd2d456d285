import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioTicker, StreamTimeline, TimestampUnwrapper } from '../../src/hls/timing.js';

describe('hls timing: RTMP timestamp unwrap', () => {
  const cases = [
    { name: 'monotonic', raw: [0, 33, 67, 100], value: [0, 33, 67, 100] },
    { name: 'wrap at 2^32', raw: [0xffff_ffe0, 0xffff_fff0, 0x10, 0x30], value: [0xffff_ffe0, 0xffff_fff0, 2 ** 32 + 0x10, 2 ** 32 + 0x30] },
    { name: 'small backward step across the wrap', raw: [0x10, 0xffff_fff0, 0x20], value: [0x10, -0x10, 0x20] },
    { name: 'two wraps', raw: [0, 0x7fff_ffff, 0xffff_ffff, 0x7fff_fffe, 0xffff_fffe, 5], value: [0, 0x7fff_ffff, 0xffff_ffff, 2 ** 32 + 0x7fff_fffe, 2 ** 32 + 0xffff_fffe, 2 ** 33 + 5] },
  ];
  for (const { name, raw, value } of cases) {
    it(name, () => {
      const unwrapper = new TimestampUnwrapper();
      assert.deepEqual(raw.map((r) => unwrapper.unwrap(r)), value);
    });
  }
});

describe('hls timing: repair', () => {
  it('keeps frames 1 ms apart when timestamps repeat or step back a little', () => {
    const track = new StreamTimeline(3000).track();
    assert.deepEqual([0, 33, 33, 20, 67].map((raw) => track.next(raw, 33)), [
      { ms: 0, repair: 'none' },
      { ms: 33, repair: 'none' },
      { ms: 34, repair: 'clamped' },
      { ms: 35, repair: 'clamped' },
      { ms: 67, repair: 'none' },
    ]);
  });

  it('absorbs a reset into an offset shared by audio and video, keeping them in sync', () => {
    const stream = new StreamTimeline(3000);
    const video = stream.track();
    const audio = stream.track();
    assert.equal(video.next(10_000, 33).ms, 10_000);
    assert.equal(audio.next(10_010, 23).ms, 10_010);
    assert.equal(video.next(10_033, 33).ms, 10_033);
    // The publisher restarts its clock at 0: both tracks continue right after the last frame.
    const jumped = video.next(0, 33);
    assert.deepEqual(jumped, { ms: 10_066, repair: 'jump' });
    assert.deepEqual(audio.next(10, 23), { ms: 10_076, repair: 'none' });
    assert.equal(video.next(33, 33).ms, 10_099);
    // A jump forward by an hour is repaired the same way.
    assert.deepEqual(video.next(3_600_000, 33), { ms: 10_132, repair: 'jump' });
  });

  it('unwraps before repairing: the 2^32 wrap is not a jump', () => {
    const track = new StreamTimeline(3000).track();
    track.next(0xffff_fff0, 33);
    assert.deepEqual(track.next(0x11, 33), { ms: 0xffff_fff0 + 0x21, repair: 'none' });
  });
});

describe('hls timing: AAC sample clock', () => {
  it('ignores millisecond jitter and counts 1024 samples per frame', () => {
    const ticker = new AudioTicker(44_100, 1024);
    const ms = [0, 23, 46, 70, 93, 116, 139];
    assert.deepEqual(ms.map((t) => ticker.next(t)), [0, 1024, 2048, 3072, 4096, 5120, 6144]);
  });

  it('resynchronises on a real gap', () => {
    const ticker = new AudioTicker(48_000, 1024);
    assert.equal(ticker.next(0), 0);
    assert.equal(ticker.next(21), 1024);
    assert.equal(ticker.next(1000), 48_000);
    assert.equal(ticker.next(1021), 49_024);
  });
});
