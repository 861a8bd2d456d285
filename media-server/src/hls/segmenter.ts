// Cuts a timed sample stream into LL-HLS segments and parts (sans-I/O: push samples, get
// events back; no clock, no HTTP).
//
// Rules (the issue's, and RFC 8216bis 6.2.1 "The server SHOULD attempt to divide the source
// media at points that support effective decode of individual Media Segments, such as on
// packet and key frame boundaries"):
//   - the "driving" track is video when there is one, audio otherwise; its timescale counts;
//   - a segment starts on a keyframe and ends at the first keyframe at or after the segment
//     target (audio-only: every frame is a keyframe, so it ends as soon as the target is met);
//   - a segment never outgrows the stream's fixed EXT-X-TARGETDURATION (targetDurationSeconds):
//     "The EXTINF duration of each Media Segment in a Playlist file, when rounded to the nearest
//     integer, MUST be less than or equal to the Target Duration" and "The value of the
//     EXT-X-TARGETDURATION tag in the Media Playlist MUST NOT change" (Apple players stall when
//     it does). A publisher whose GOP is longer gets a cut without a keyframe just before the
//     rounded duration would pass the target; the next keyframe then starts a segment at once,
//     so segments realign to keyframes. Cutting beats dropping media until the next keyframe,
//     which would stall every viewer for the rest of the GOP; and a segment may start mid-GOP
//     because we never write EXT-X-INDEPENDENT-SEGMENTS ("all media samples in a Media Segment
//     can be decoded without information from other segments"): parts say INDEPENDENT=YES where
//     a keyframe is, and players joining step back to one;
//   - a timestamp gap (a publisher pausing, up to StreamTimeline's reset threshold) never
//     stretches a part or a segment: the part open before the gap ends at its target, and the
//     frame after the gap starts a new part (its tfdt carries the real time);
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

/**
 * EXT-X-TARGETDURATION for a configured segment target, fixed for the life of a stream. The
 * segmenter keeps every segment's rounded duration at or below it.
 */
export function targetDurationSeconds(segmentTargetSeconds: number): number {
  return Math.max(1, Math.ceil(segmentTargetSeconds));
}

export type SegmenterEvent =
  | { readonly type: 'segment-start'; readonly startSeconds: number; readonly independent: boolean }
  | { readonly type: 'part'; readonly bytes: Uint8Array; readonly durationSeconds: number; readonly independent: boolean }
  | { readonly type: 'segment-end'; readonly durationSeconds: number }
  | { readonly type: 'dropped'; readonly track: 'video' | 'audio'; readonly reason: 'before-keyframe' | 'before-start' | 'part-too-large' };

/**
 * Keeps a short average of frame intervals, the prediction for the next frame's duration. An
 * interval over `maxInterval` is a gap in the stream, not a frame rate, and is not counted.
 */
class IntervalEstimate {
  private readonly recent: number[] = [];
  constructor(
    private fallback: number,
    private readonly maxInterval: number,
  ) {}

  add(interval: number): void {
    if (interval <= 0 || interval > this.maxInterval) return;
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
  /** A segment must end before reaching this (ticks): where its duration would round past the target duration. */
  private readonly segmentLimit: number;
  private readonly videoInterval: IntervalEstimate;
  private sequenceNumber: number;

  private segmentOpen = false;
  /** Whether the open segment starts on a keyframe (one that does not ends at the next keyframe). */
  private segmentIndependent = false;
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
    this.segmentLimit = (targetDurationSeconds(options.segmentTargetMs / 1000) + 0.5) * this.drivingTimescale;
    const nominal = options.video?.nominalFrameDuration ?? 1;
    this.videoInterval = new IntervalEstimate(nominal, Math.max(this.partTarget, 2 * nominal));
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
      const elapsed = sample.dts - this.segmentStart;
      const due = sample.keyframe && (elapsed >= this.segmentTarget || !this.segmentIndependent);
      const tooLarge = this.segmentBytes + this.part.bytes > this.options.maxSegmentBytes;
      // This frame would take the segment's duration to where it rounds past the target.
      const tooLong = elapsed + this.videoInterval.value >= this.segmentLimit;
      if (due || tooLarge || tooLong) {
        if (this.partStart !== undefined) this.closePart(this.partEndBefore(sample.dts), events);
        this.endSegment(events);
        this.startSegment(sample.dts, sample.keyframe, events);
      } else if (this.partStart !== undefined && sample.dts - this.partStart >= this.partTarget) {
        // After a gap: the open part ends at its target, not at this frame.
        this.closePart(this.partEndBefore(sample.dts), events);
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
    if (this.segmentOpen && this.partStart !== undefined && sample.dts - this.partStart >= this.partTarget) {
      // After a gap: the open part ends at its target, and the segment too if that is due.
      const end = this.partEndBefore(sample.dts);
      this.closePart(end, events);
      if (end - this.segmentStart >= this.segmentTarget || sample.dts - this.segmentStart + audio.samplesPerFrame >= this.segmentLimit) this.endSegment(events);
    } else if (this.segmentOpen && this.partStart === undefined && sample.dts - this.segmentStart + audio.samplesPerFrame >= this.segmentLimit) {
      this.endSegment(events);
    }
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

  /** Where the open part ends when the frame at `dts` does not join it: at `dts`, or at the part target after a gap. */
  private partEndBefore(dts: number): number {
    const start = this.partStart ?? dts;
    const lastVideo = this.part.video[this.part.video.length - 1];
    const lastAudio = this.part.audio[this.part.audio.length - 1];
    // The last frame keeps a duration: one tick for video (the next part's tfdt is exact), a whole frame for audio-only.
    const latest = this.options.video ? (lastVideo ? lastVideo.dts + 1 : start) : lastAudio ? lastAudio.dts + this.options.audio!.samplesPerFrame : start;
    return Math.max(latest, Math.min(dts, start + Math.floor(this.partTarget)));
  }

  private startSegment(dts: number, independent: boolean, events: SegmenterEvent[]): void {
    this.startTicks ??= dts;
    this.segmentOpen = true;
    this.segmentIndependent = independent;
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
