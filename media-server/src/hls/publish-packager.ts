// One publish, packaged: MediaMessages in (raw RTMP timestamps), packaging events out. Owns
// the timestamp repair, the tracks and init sections, and the segmenter; knows nothing of
// HTTP, the store or the wall clock beyond the `now` it is given (sans-I/O).
//
//   configs ──> tracks ──> init section (a new one whenever a configuration changes)
//   frames ──> unwrap/repair (timing.ts) ──> decode times ──> Segmenter ──> events

import { CodecError } from '../codec/bit-reader.js';
import type { AudioConfig, MediaMessage, StreamMetadata, VideoConfig } from '../media/types.js';
import { encodeInitSegment, type Track } from '../mp4/init-segment.js';
import { Segmenter, type SegmenterEvent } from './segmenter.js';
import { AudioTicker, StreamTimeline } from './timing.js';
import { packageAudio, packageVideo, videoTimescale, type PackagedAudio, type PackagedVideo } from './tracks.js';

/** Where this publish continues the stream (zero values for the first publish). */
export interface PublishContinuation {
  /** Media time (ms) the first frame of this publish gets on the stream timeline. */
  readonly baseMs: number;
  /** The first segment carries EXT-X-DISCONTINUITY (a publisher came back). */
  readonly discontinuity: boolean;
  readonly firstInitId: number;
  readonly firstSequenceNumber: number;
  /** The program date of this publish's first frame is at least this (ms since the epoch). */
  readonly wallFloorMs: number;
}

export interface PackagerSettings {
  readonly segmentDurationMs: number;
  readonly partDurationMs: number;
  readonly maxSegmentBytes: number;
}

export type PackagerEvent =
  | { readonly type: 'tracks'; readonly initId: number; readonly init: Uint8Array; readonly video?: PackagedVideo; readonly audio?: PackagedAudio; readonly metadata?: StreamMetadata }
  | { readonly type: 'segment-start'; readonly initId: number; readonly discontinuity: boolean; readonly programDateTime: Date; readonly startSeconds: number }
  | Extract<SegmenterEvent, { type: 'part' | 'segment-end' | 'dropped' }>
  | { readonly type: 'config-rejected'; readonly track: 'video' | 'audio'; readonly error: string };

interface Packaging {
  readonly zeroMs: number;
  readonly video?: PackagedVideo;
  readonly audio?: PackagedAudio;
  readonly audioTicker?: AudioTicker;
  readonly segmenter: Segmenter;
  readonly initId: number;
  discontinuityPending: boolean;
}

/** Audio frames kept while waiting for the first keyframe (about 3 s of AAC). */
const maxPrerollFrames = 128;

export class PublishPackager {
  private readonly timeline = new StreamTimeline();
  private readonly videoTime = this.timeline.track();
  private readonly audioTime = this.timeline.track();
  private videoConfig?: VideoConfig;
  private audioConfig?: AudioConfig;
  private metadata?: StreamMetadata;
  private packaging?: Packaging;
  /** A new configuration arrived: the next keyframe starts a new init section. */
  private restartPending = false;
  /** Audio that arrived before the first keyframe; replayed when packaging starts. */
  private readonly preroll: Array<{ ms: number; data: Uint8Array }> = [];
  private nextInitId: number;
  private wallAnchorMs = 0;
  private events: PackagerEvent[] = [];
  private videoFrames = 0;
  private firstVideoMs = 0;
  private lastVideoMs = 0;

  constructor(
    private readonly settings: PackagerSettings,
    private readonly continuation: PublishContinuation,
    private readonly now: () => number,
  ) {
    this.nextInitId = continuation.firstInitId;
  }

  /** Init ids and mfhd sequence numbers used so far: the next publish continues from them. */
  get counters(): { nextInitId: number; nextSequenceNumber: number } {
    return { nextInitId: this.nextInitId, nextSequenceNumber: this.packaging?.segmenter.nextSequenceNumber ?? this.continuation.firstSequenceNumber };
  }

  /**
   * Frames per second measured from the video timestamps, for FRAME-RATE when the publisher's
   * metadata has none. Millisecond timestamps over a few frames cannot tell 29.97 from 30, and
   * FRAME-RATE is "the maximum frame rate", so a rate within 1 % of a whole number is rounded to it.
   */
  get measuredFrameRate(): number | undefined {
    if (this.videoFrames < 5 || this.lastVideoMs <= this.firstVideoMs) return undefined;
    const fps = ((this.videoFrames - 1) * 1000) / (this.lastVideoMs - this.firstVideoMs);
    const whole = Math.round(fps);
    return Math.abs(fps - whole) / whole < 0.01 ? whole : Math.round(fps * 1000) / 1000;
  }

  write(message: MediaMessage): PackagerEvent[] {
    this.events = [];
    switch (message.type) {
      case 'metadata':
        this.metadata = message;
        break;
      case 'video-config':
        if (this.videoConfig && this.videoConfig.codec === message.codec && sameBytes(this.videoConfig.record, message.record)) break;
        this.videoConfig = message;
        if (this.packaging) this.restartPending = true;
        break;
      case 'audio-config':
        if (this.audioConfig && sameBytes(this.audioConfig.config, message.config)) break;
        this.audioConfig = message;
        if (this.packaging) this.restartPending = true;
        break;
      case 'video': {
        const ms = this.videoTime.next(message.timestamp, this.videoFrameMs()).ms;
        if (this.videoFrames++ === 0) this.firstVideoMs = ms;
        this.lastVideoMs = ms;
        this.onVideo(ms, message.compositionOffset, message.keyframe, message.data);
        break;
      }
      case 'audio': {
        const audio = this.packaging?.audio;
        const frameMs = audio ? (audio.samplesPerFrame * 1000) / audio.track.timescale : 23;
        this.onAudio(this.audioTime.next(message.timestamp, frameMs).ms, message.data);
        break;
      }
    }
    return this.events;
  }

  /** End of the publish: everything buffered becomes a last part and segment. */
  flush(): PackagerEvent[] {
    this.events = [];
    if (this.packaging) this.emit(this.packaging, this.packaging.segmenter.flush());
    return this.events;
  }

  private videoFrameMs(): number {
    const fps = this.metadata?.frameRate;
    return fps && fps > 0 ? 1000 / fps : 1000 / 30;
  }

  private drop(track: 'video' | 'audio'): void {
    this.events.push({ type: 'dropped', track, reason: 'before-keyframe' });
  }

  private onVideo(ms: number, compositionOffsetMs: number, keyframe: boolean, data: Uint8Array): void {
    if (!this.videoConfig) return this.drop('video');
    const starting = keyframe && (this.restartPending || !this.packaging);
    if (starting) this.startPackaging(ms);
    const packaging = this.packaging;
    if (!packaging?.video) return this.drop('video');
    const dts = Math.round((ms - packaging.zeroMs + this.continuation.baseMs) * (videoTimescale / 1000));
    const compositionOffset = Math.round(compositionOffsetMs * (videoTimescale / 1000));
    this.emit(packaging, packaging.segmenter.pushVideo({ dts, compositionOffset, keyframe, data }));
    if (starting) {
      // Audio sent just before the keyframe but timed at or after it belongs to the stream.
      for (const frame of this.preroll.splice(0)) this.onAudio(frame.ms, frame.data);
    }
  }

  private onAudio(ms: number, data: Uint8Array): void {
    if (!this.audioConfig) return this.drop('audio');
    // Without a video track, audio starts packaging; with one, it waits for the keyframe.
    if (!this.videoConfig && (this.restartPending || !this.packaging)) this.startPackaging(ms);
    if (this.videoConfig && !this.packaging) {
      this.preroll.push({ ms, data });
      if (this.preroll.length > maxPrerollFrames) this.preroll.shift();
      return;
    }
    const packaging = this.packaging;
    if (!packaging?.audio || !packaging.audioTicker) return this.drop('audio');
    const mediaMs = ms - packaging.zeroMs + this.continuation.baseMs;
    if (mediaMs < this.continuation.baseMs - 1) return this.drop('audio');
    const dts = packaging.audioTicker.next(mediaMs);
    this.emit(packaging, packaging.segmenter.pushAudio({ dts, compositionOffset: 0, keyframe: true, data }));
  }

  private packageTracks(): { video?: PackagedVideo; audio?: PackagedAudio } {
    const tracks: { video?: PackagedVideo; audio?: PackagedAudio } = {};
    try {
      if (this.videoConfig) tracks.video = packageVideo(this.videoConfig);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      this.events.push({ type: 'config-rejected', track: 'video', error: error.message });
    }
    try {
      if (this.audioConfig) tracks.audio = packageAudio(this.audioConfig);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      this.events.push({ type: 'config-rejected', track: 'audio', error: error.message });
    }
    return tracks;
  }

  /** Builds tracks and the init section, and starts a segmenter at `ms`. */
  private startPackaging(ms: number): void {
    const previous = this.packaging;
    if (previous) this.emit(previous, previous.segmenter.flush());
    this.restartPending = false;
    const { video, audio } = this.packageTracks();
    if (!video && !audio) {
      this.packaging = undefined;
      return;
    }
    const initId = this.nextInitId++;
    const init = encodeInitSegment([video?.track, audio?.track].filter((track): track is Track => track !== undefined));
    this.events.push({ type: 'tracks', initId, init, video, audio, metadata: this.metadata });
    // Within one publish (a configuration change) the timeline and wall-clock mapping carry on.
    if (!previous) this.wallAnchorMs = Math.max(this.now(), this.continuation.wallFloorMs);
    this.packaging = {
      zeroMs: previous ? previous.zeroMs : ms,
      video,
      audio,
      audioTicker: audio ? new AudioTicker(audio.track.timescale, audio.samplesPerFrame) : undefined,
      segmenter: new Segmenter({
        segmentTargetMs: this.settings.segmentDurationMs,
        partTargetMs: this.settings.partDurationMs,
        maxSegmentBytes: this.settings.maxSegmentBytes,
        video: video ? { trackId: video.track.id, timescale: video.track.timescale, nominalFrameDuration: (this.videoFrameMs() * videoTimescale) / 1000 } : undefined,
        audio: audio ? { trackId: audio.track.id, timescale: audio.track.timescale, samplesPerFrame: audio.samplesPerFrame } : undefined,
        firstSequenceNumber: previous ? previous.segmenter.nextSequenceNumber : this.continuation.firstSequenceNumber,
      }),
      initId,
      // "Any changes in encoding parameters (such as codec, resolution, file format, and
      // tracks) or timing information MUST be signalled by the use of EXT-X-DISCONTINUITY."
      discontinuityPending: previous !== undefined || this.continuation.discontinuity,
    };
  }

  private emit(packaging: Packaging, events: readonly SegmenterEvent[]): void {
    for (const event of events) {
      if (event.type === 'segment-start') {
        // EXT-X-PROGRAM-DATE-TIME: the wall clock of the publish's first frame, advanced by media time.
        const wall = this.wallAnchorMs + (event.startSeconds - this.continuation.baseMs / 1000) * 1000;
        this.events.push({ type: 'segment-start', initId: packaging.initId, discontinuity: packaging.discontinuityPending, programDateTime: new Date(Math.round(wall)), startSeconds: event.startSeconds });
        packaging.discontinuityPending = false;
      } else {
        this.events.push(event);
      }
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
