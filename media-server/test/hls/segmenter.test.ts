import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Segmenter, type SegmenterEvent, type SegmenterOptions } from '../../src/hls/segmenter.js';
import { parseFragments } from '../mp4/parse.js';

type Part = Extract<SegmenterEvent, { type: 'part' }>;

/** 30 fps video with RTMP-style millisecond timestamps (0, 33, 67, 100, ...), keyframe every `gop`. */
function videoFrame(index: number, gop: number, fps = 30) {
  const ms = Math.round((index * 1000) / fps);
  return { dts: ms * 90, compositionOffset: 0, keyframe: index % gop === 0, data: new Uint8Array(100 + (index % 7)) };
}

const base: SegmenterOptions = {
  segmentTargetMs: 2000,
  partTargetMs: 200,
  maxSegmentBytes: 10_000_000,
  video: { trackId: 1, timescale: 90_000, nominalFrameDuration: 3000 },
  audio: { trackId: 2, timescale: 44_100, samplesPerFrame: 1024 },
};

function summarize(events: SegmenterEvent[]): string[] {
  return events.map((event) => {
    if (event.type === 'part') return `part ${event.durationSeconds.toFixed(4)}${event.independent ? ' I' : ''}`;
    if (event.type === 'segment-end') return `end ${event.durationSeconds.toFixed(4)}`;
    if (event.type === 'segment-start') return `start ${event.startSeconds.toFixed(4)}`;
    return `dropped ${event.track}`;
  });
}

describe('hls segmenter', () => {
  it('cuts 200 ms parts the moment their last frame arrives and 2 s segments at keyframes', () => {
    const segmenter = new Segmenter({ ...base, audio: undefined });
    const perFrame: SegmenterEvent[][] = [];
    for (let i = 0; i < 135; i++) perFrame.push(segmenter.pushVideo(videoFrame(i, 30)));
    // Frame 5 (167 ms) is the last one of part 0: its push returns the part, no later.
    assert.deepEqual(summarize(perFrame[0]!), ['start 0.0000']);
    assert.deepEqual(summarize(perFrame[4]!), []);
    assert.deepEqual(summarize(perFrame[5]!), ['part 0.2000 I']);
    // Frame 60 (2000 ms) is a keyframe at the target: the segment ends and a new one starts.
    assert.deepEqual(summarize(perFrame[59]!), ['part 0.2000']);
    assert.deepEqual(summarize(perFrame[60]!), ['end 2.0000', 'start 2.0000']);
    const all = perFrame.flat();
    const parts = all.filter((e): e is Part => e.type === 'part');
    assert.equal(parts.length, 22);
    assert.ok(parts.every((p) => Math.abs(p.durationSeconds - 0.2) < 1e-9), 'every part is exactly the target');
    // Keyframes every second: parts 0 and 5 of each segment are independent.
    assert.deepEqual(parts.map((p, i) => (p.independent ? i : -1)).filter((i) => i >= 0), [0, 5, 10, 15, 20]);
    assert.deepEqual(summarize(segmenter.flush()), ['part 0.1004', 'end 0.5004']);
  });

  it('parses back: sample counts, durations and decode times match the input frames', () => {
    const segmenter = new Segmenter({ ...base, audio: undefined, firstSequenceNumber: 40 });
    const events: SegmenterEvent[] = [];
    const frames = Array.from({ length: 66 }, (_, i) => ({ ...videoFrame(i, 30), compositionOffset: i % 3 === 1 ? 6000 : 0 }));
    for (const frame of frames) events.push(...segmenter.pushVideo(frame));
    events.push(...segmenter.flush());
    const fragments = events.filter((e): e is Part => e.type === 'part').flatMap((p) => parseFragments(p.bytes));
    assert.deepEqual(fragments.map((f) => f.sequenceNumber), fragments.map((_, i) => 40 + i));
    const samples = fragments.flatMap((f) => f.trafs[0]!.samples.map((s, i) => ({ ...s, dts: f.trafs[0]!.baseDecodeTime + f.trafs[0]!.samples.slice(0, i).reduce((a, b) => a + b.duration, 0) })));
    assert.equal(samples.length, frames.length);
    samples.forEach((sample, i) => {
      const frame = frames[i]!;
      assert.equal(sample.size, frame.data.length, `size of ${i}`);
      assert.equal(sample.compositionOffset, frame.compositionOffset, `composition offset of ${i}`);
      assert.equal(sample.flags === 0x02000000, frame.keyframe, `sync flag of ${i}`);
      const next = frames[i + 1];
      // Within a part durations are exact; the last one of a part may be the prediction (within a quarter frame).
      if (next) assert.ok(Math.abs(sample.dts + sample.duration - next.dts) <= 750, `duration of ${i}`);
    });
    // Every fragment starts at its first frame's exact decode time.
    for (const fragment of fragments) assert.ok(frames.some((f) => f.dts === fragment.trafs[0]!.baseDecodeTime));
  });

  it('a GOP longer than the target is cut before the segment would round past the target, and realigns at the next keyframe', () => {
    const segmenter = new Segmenter({ ...base, audio: undefined });
    const events = Array.from({ length: 200 }, (_, i) => segmenter.pushVideo(videoFrame(i, 90))).flat();
    // 3 s GOP, target duration 2: cut at 2.467 s (one more frame would make 2.5, rounding to 3),
    // then the keyframe at 3 s starts a segment at once.
    assert.deepEqual(summarize(events.filter((e) => e.type === 'segment-end' || e.type === 'segment-start')), [
      'start 0.0000',
      'end 2.4670',
      'start 2.4670',
      'end 0.5315',
      'start 3.0000',
      'end 2.4670',
      'start 5.4670',
      'end 0.5315',
      'start 6.0000',
    ]);
    const starts = events.filter((e): e is Extract<SegmenterEvent, { type: 'segment-start' }> => e.type === 'segment-start');
    assert.deepEqual(starts.map((e) => e.independent), [true, false, true, false, true]);
  });

  /** Runs frames through a segmenter and returns every closed segment's and part's duration. */
  function durations(options: SegmenterOptions, frames: Array<{ ms: number; keyframe: boolean; audio?: boolean }>) {
    const segmenter = new Segmenter(options);
    const events: SegmenterEvent[] = [];
    for (const frame of frames) {
      const data = new Uint8Array(100);
      if (frame.audio) events.push(...segmenter.pushAudio({ dts: Math.round((frame.ms * 44_100) / 1000), compositionOffset: 0, keyframe: true, data }));
      else events.push(...segmenter.pushVideo({ dts: frame.ms * 90, compositionOffset: 0, keyframe: frame.keyframe, data }));
    }
    events.push(...segmenter.flush());
    return {
      segments: events.flatMap((e) => (e.type === 'segment-end' ? [e.durationSeconds] : [])),
      parts: events.flatMap((e) => (e.type === 'part' ? [e.durationSeconds] : [])),
    };
  }

  const at30fps = (fromMs: number, toMs: number, keyEveryMs: number | null) =>
    Array.from({ length: Math.floor(((toMs - fromMs) * 30) / 1000) }, (_, i) => {
      const ms = fromMs + Math.round((i * 1000) / 30);
      return { ms, keyframe: keyEveryMs !== null && (ms - fromMs) % keyEveryMs < 17 && (i === 0 || Math.round(((i - 1) * 1000) / 30) % keyEveryMs > ms % keyEveryMs) };
    });

  const timingCases: Array<{ name: string; options?: Partial<SegmenterOptions>; frames: Array<{ ms: number; keyframe: boolean; audio?: boolean }>; minSegments: number }> = [
    { name: 'a 10 s GOP', frames: at30fps(0, 30_000, 10_000), minSegments: 12 },
    { name: 'one keyframe, never another', frames: at30fps(0, 20_000, 1_000_000), minSegments: 8 },
    { name: 'a 2.9 s gap mid-segment', frames: [...at30fps(0, 1000, 1000), ...at30fps(3900, 8000, 1000)], minSegments: 3 },
    { name: 'a 2.9 s gap after a keyframe-aligned cut', frames: [...at30fps(0, 2000, 1000), ...at30fps(4900, 9000, 1000)], minSegments: 3 },
    { name: 'repeated 600 ms gaps with a 5 s GOP', frames: Array.from({ length: 12 }, (_, k) => at30fps(k * 1600, k * 1600 + 1000, 5000).map((f) => ({ ...f, keyframe: k === 0 && f.ms === 0 }))).flat(), minSegments: 5 },
    { name: 'a 1 s segment target and a 4 s GOP', options: { segmentTargetMs: 1000 }, frames: at30fps(0, 16_000, 4000), minSegments: 10 },
    { name: 'audio-only with a 2.9 s gap', options: { video: undefined }, frames: [...Array.from({ length: 80 }, (_, i) => ({ ms: (i * 1024 * 1000) / 44_100, keyframe: true, audio: true })), ...Array.from({ length: 200 }, (_, i) => ({ ms: 4800 + (i * 1024 * 1000) / 44_100, keyframe: true, audio: true }))], minSegments: 4 },
  ];
  for (const { name, options, frames, minSegments } of timingCases) {
    it(`${name}: no segment rounds past the target duration, no part exceeds the part target`, () => {
      const opts = { ...base, audio: undefined, ...options } as SegmenterOptions;
      const effective = options?.video === undefined && options && 'video' in options ? { ...opts, audio: base.audio } : opts;
      const { segments, parts } = durations(effective, frames);
      const target = Math.ceil(effective.segmentTargetMs / 1000);
      assert.ok(segments.length >= minSegments, `${segments.length} segments: ${segments.join(', ')}`);
      for (const d of segments) assert.ok(Math.round(d) <= target && d > 0, `segment of ${d} s with target duration ${target}: ${segments.join(', ')}`);
      for (const d of parts) assert.ok(d <= effective.partTargetMs / 1000 + 1e-9 && d > 0, `part of ${d} s: ${parts.join(', ')}`);
    });
  }

  it('drops video before the first keyframe', () => {
    const segmenter = new Segmenter({ ...base, audio: undefined });
    assert.deepEqual(summarize(segmenter.pushVideo({ ...videoFrame(1, 30) })), ['dropped video']);
    assert.deepEqual(summarize(segmenter.pushVideo(videoFrame(30, 30))), ['start 1.0000']);
  });

  it('audio rides in the video parts of an audio+video stream', () => {
    const segmenter = new Segmenter(base);
    const events: SegmenterEvent[] = [];
    let audioIndex = 0;
    for (let i = 0; i < 70; i++) {
      const frame = videoFrame(i, 30);
      // Audio frames up to this video frame's time, as an interleaving muxer sends them.
      while (audioIndex * 1024 * 1000 <= (frame.dts / 90) * 44_100) {
        events.push(...segmenter.pushAudio({ dts: audioIndex * 1024, compositionOffset: 0, keyframe: true, data: new Uint8Array(20) }));
        audioIndex++;
      }
      events.push(...segmenter.pushVideo(frame));
    }
    events.push(...segmenter.flush());
    const fragments = events.filter((e): e is Part => e.type === 'part').flatMap((p) => parseFragments(p.bytes));
    const audioSamples = fragments.flatMap((f) => f.trafs.filter((t) => t.trackId === 2)).flatMap((t) => t.samples);
    const dropped = events.filter((e) => e.type === 'dropped').length;
    // The first audio frame arrives before the first keyframe and is dropped; the rest are all there.
    assert.equal(dropped, 1);
    assert.ok(audioSamples.length >= audioIndex - 2, `${audioSamples.length} of ${audioIndex} audio frames packaged`);
    assert.ok(audioSamples.every((s) => s.duration === 1024));
    // Audio decode times continue from part to part.
    const audioRuns = fragments.flatMap((f) => f.trafs.filter((t) => t.trackId === 2));
    for (let i = 1; i < audioRuns.length; i++) {
      const previous = audioRuns[i - 1]!;
      assert.equal(audioRuns[i]!.baseDecodeTime, previous.baseDecodeTime + previous.samples.length * 1024);
    }
  });

  it('audio-only streams cut parts and segments on audio frames', () => {
    const segmenter = new Segmenter({ ...base, video: undefined });
    const events = Array.from({ length: 200 }, (_, i) => segmenter.pushAudio({ dts: i * 1024, compositionOffset: 0, keyframe: true, data: new Uint8Array(10) })).flat();
    const parts = events.filter((e): e is Part => e.type === 'part');
    // 8 frames of 1024 samples = 185.8 ms (a ninth would pass 200 ms); 11 parts make a segment (>= 2 s).
    assert.ok(parts.every((p) => p.durationSeconds === 8192 / 44_100 && p.independent));
    assert.deepEqual(summarize(events.filter((e) => e.type === 'segment-end')), ['end 2.0434', 'end 2.0434']);
    // The segment ends together with its last part, without waiting for the next frame.
    const firstEnd = events.findIndex((e) => e.type === 'segment-end');
    assert.equal(events[firstEnd - 1]?.type, 'part');
  });

  it('cuts a segment that outgrows maxSegmentBytes without waiting for a keyframe', () => {
    const segmenter = new Segmenter({ ...base, audio: undefined, maxSegmentBytes: 2000 });
    const events = Array.from({ length: 60 }, (_, i) => segmenter.pushVideo(videoFrame(i, 300))).flat();
    const ends = events.filter((e) => e.type === 'segment-end');
    assert.ok(ends.length >= 2, `${ends.length} forced segment ends`);
  });
});
