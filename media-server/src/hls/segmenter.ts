// Cuts a timed sample stream into LL-HLS segments and parts (sans-I/O: push samples, get
// events back; no clock, no HTTP).
//
// Rules (the issue's, and RFC 8216bis 6.2.1 "The server SHOULD attempt to divide the source
// media at points that support effective decode of individual Media Segments, such as on
// packet and key frame boundaries"):
//   - the "driving" track is video when there is one, audio otherwise; its timescale counts;
//   - a segment starts on a keyframe and ends at the first keyframe at or after the segment
//     target (audio-only: every frame is a keyframe, so it ends as soon as the target is met);
//   - a part closes as soon as the next frame would take it past the part target. That is
//     decided when the frame arrives, with the next frame's duration predicted, so a part is
//     published the moment its last frame arrives instead of one frame later;
//   - the part before a segment boundary closes when the keyframe arrives (exact duration).
// Audio in an audio+video stream rides along in whatever part closes next.

import { encodePart, PartSamples, type TimedSample } from './parts.js';

export interface SegmenterTrack {
  readonly trackId: number;
  readonly timescale: number;
}

export interface SegmenterOptions {
  readonly segmentTargetMs: number;
  readonly partTargetMs: number;
  /** A segment that grows past this is cut at the next frame even without a keyframe. */
  readonly maxSegmentBytes: number;
  readonly video?: SegmenterTrack & { readonly nominalFrameDuration: number };
  readonly audio?: SegmenterTrack & { readonly samplesPerFrame: number };
  /** mfhd sequence number of the first part (continues across reconnects). */
  readonly firstSequenceNumber?: number;
}

export type SegmenterEvent =
  | { readonly type: 'segment-start'; readonly startSeconds: number; readonly independent: boolean }
  | { readonly type: 'part'; readonly bytes: Uint8Array; readonly durationSeconds: number; readonly independent: boolean }
  | { readonly type: 'segment-end'; readonly durationSeconds: number }
  | { readonly type: 'dropped'; readonly track: 'video' | 'audio'; readonly reason: 'before-keyframe' | 'before-start' | 'part-too-large' };

/** Keeps a short average of frame intervals, the prediction for the next frame's duration. */
class IntervalEstimate {
  private readonly recent: number[] = [];
  constructor(private fallback: number) {}

  add(interval: number): void {
    if (interval <= 0) return;
    this.recent.push(interval);
    if (this.recent.length > 8) this.recent.shift();
  }

  get value(): number {
    if (this.recent.length === 0) return this.fallback;
    return this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
  }
}

export class Segmenter {
  private readonly drivingTimescale: number;
  private readonly segmentTarget: number;
  private readonly partTarget: number;
  private readonly videoInterval: IntervalEstimate;
  private sequenceNumber: number;

  private segmentOpen = false;
  private segmentStart = 0;
  private segmentBytes = 0;
  private segmentDuration = 0; // driving ticks, sum of closed parts
  private startTicks: number | undefined;

  private part = new PartSamples();
  private partStart: number | undefined;
  private partIndependent = false;
  private lastVideoDts: number | undefined;
  private lastPartEnd = 0;

  constructor(private readonly options: SegmenterOptions) {
    if (!options.video && !options.audio) throw new Error('Segmenter needs a video or an audio track');
    this.drivingTimescale = options.video ? options.video.timescale : options.audio!.timescale;
    this.segmentTarget = (options.segmentTargetMs * this.drivingTimescale) / 1000;
    this.partTarget = (options.partTargetMs * this.drivingTimescale) / 1000;
    this.videoInterval = new IntervalEstimate(options.video?.nominalFrameDuration ?? 1);
    this.sequenceNumber = options.firstSequenceNumber ?? 1;
  }

  get nextSequenceNumber(): number {
    return this.sequenceNumber;
  }

  pushVideo(sample: TimedSample): SegmenterEvent[] {
    if (!this.options.video) return [];
    const events: SegmenterEvent[] = [];
    if (!this.segmentOpen) {
      if (!sample.keyframe && this.startTicks === undefined) return [{ type: 'dropped', track: 'video', reason: 'before-keyframe' }];
      this.startSegment(sample.dts, sample.keyframe, events);
    } else {
      const due = sample.keyframe && sample.dts - this.segmentStart >= this.segmentTarget;
      const tooLarge = this.segmentBytes + this.part.bytes > this.options.maxSegmentBytes;
      if (due || tooLarge) {
        if (this.partStart !== undefined) this.closePart(sample.dts, events);
        this.endSegment(events);
        this.startSegment(sample.dts, sample.keyframe, events);
      }
    }
    if (this.lastVideoDts !== undefined) this.videoInterval.add(sample.dts - this.lastVideoDts);
    this.lastVideoDts = sample.dts;
    if (this.partStart === undefined) {
      this.partStart = sample.dts;
      this.partIndependent = sample.keyframe;
    }
    this.part.add('video', sample);
    // Close now if the next frame would take the part past the part target. RTMP's
    // millisecond timestamps jitter (33/34 ms at 30 fps), so "past" allows a quarter frame.
    const predicted = this.videoInterval.value;
    if (sample.dts + 2 * predicted - this.partStart > this.partTarget + 0.25 * predicted) {
      // "The duration of a Partial Segment MUST be less than or equal to the Part Target
      // Duration": when the prediction overshoots by jitter only, the last sample is shortened
      // (by at most a quarter frame; the next part's tfdt carries the exact time).
      const capped = this.partStart + this.partTarget - sample.dts;
      const lastDuration = capped >= 0.75 * predicted && capped < predicted ? capped : predicted;
      this.closePart(sample.dts + Math.max(1, Math.round(lastDuration)), events);
    }
    return events;
  }

  pushAudio(sample: TimedSample): SegmenterEvent[] {
    const audio = this.options.audio;
    if (!audio) return [];
    if (this.options.video) {
      if (this.startTicks === undefined) return [{ type: 'dropped', track: 'audio', reason: 'before-keyframe' }];
      if (sample.dts / audio.timescale < this.startTicks / this.drivingTimescale) {
        return [{ type: 'dropped', track: 'audio', reason: 'before-start' }];
      }
      if (this.part.bytes > this.options.maxSegmentBytes) return [{ type: 'dropped', track: 'audio', reason: 'part-too-large' }];
      this.part.add('audio', sample);
      return [];
    }
    // Audio-only: audio drives parts and segments.
    const events: SegmenterEvent[] = [];
    if (!this.segmentOpen) this.startSegment(sample.dts, true, events);
    if (this.partStart === undefined) {
      this.partStart = sample.dts;
      this.partIndependent = true;
    }
    this.part.add('audio', sample);
    const frame = audio.samplesPerFrame;
    if (sample.dts + 2 * frame - this.partStart > this.partTarget) {
      const end = sample.dts + frame;
      this.closePart(end, events);
      const tooLarge = this.segmentBytes > this.options.maxSegmentBytes;
      // The next frame starts at `end` and is a keyframe: end the segment now if it is due.
      if (end - this.segmentStart >= this.segmentTarget || tooLarge) this.endSegment(events);
    }
    return events;
  }

  /** End of stream: publish what is buffered. */
  flush(): SegmenterEvent[] {
    const events: SegmenterEvent[] = [];
    const audio = this.options.audio;
    const lastAudio = this.part.audio[this.part.audio.length - 1];
    if (this.partStart === undefined && this.segmentOpen && audio && lastAudio && this.options.video) {
      // Audio that arrived after the last video part: a closing part of its own, on the video
      // timeline from the previous part's end to the end of that audio.
      const audioEnd = Math.round(((lastAudio.dts + audio.samplesPerFrame) * this.drivingTimescale) / audio.timescale);
      this.partStart = this.lastPartEnd;
      this.partIndependent = false;
      this.closePart(Math.max(this.lastPartEnd, audioEnd), events);
    }
    if (this.partStart !== undefined) {
      const end = this.options.video ? (this.lastVideoDts ?? this.partStart) + Math.round(this.videoInterval.value) : this.audioEnd();
      this.closePart(end, events);
    }
    if (this.segmentOpen) this.endSegment(events);
    return events;
  }

  private audioEnd(): number {
    const last = this.part.audio[this.part.audio.length - 1];
    return last ? last.dts + this.options.audio!.samplesPerFrame : (this.partStart ?? 0);
  }

  private startSegment(dts: number, independent: boolean, events: SegmenterEvent[]): void {
    this.startTicks ??= dts;
    this.segmentOpen = true;
    this.segmentStart = dts;
    this.segmentBytes = 0;
    this.segmentDuration = 0;
    events.push({ type: 'segment-start', startSeconds: dts / this.drivingTimescale, independent });
  }

  private endSegment(events: SegmenterEvent[]): void {
    this.segmentOpen = false;
    events.push({ type: 'segment-end', durationSeconds: this.segmentDuration / this.drivingTimescale });
  }

  /** Encodes the open part; `end` is its end on the driving timeline. */
  private closePart(end: number, events: SegmenterEvent[]): void {
    const start = this.partStart;
    if (start === undefined) return;
    const samples = this.part;
    const lastVideo = samples.video[samples.video.length - 1];
    const audio = this.options.audio;
    const bytes = encodePart(this.sequenceNumber++, samples, {
      video: this.options.video && lastVideo ? { trackId: this.options.video.trackId, lastDuration: end - lastVideo.dts } : undefined,
      audio: audio ? { trackId: audio.trackId, lastDuration: audio.samplesPerFrame } : undefined,
    });
    const duration = Math.max(0, end - start);
    this.lastPartEnd = end;
    this.segmentDuration += duration;
    this.segmentBytes += bytes.length;
    events.push({ type: 'part', bytes, durationSeconds: duration / this.drivingTimescale, independent: this.partIndependent });
    this.part = new PartSamples();
    this.partStart = undefined;
  }
}
