// Live statistics for one published stream, fed with its media messages: codecs and resolution
// from the sequence header (falling back to the publisher's metadata), declared frame rate, plus frame rate and bitrate as MEASURED over the last
// few seconds of wall-clock time (metadata is what the encoder was told, not what arrives).
import { av1VideoInfo } from '../codec/av1.js';
import { h264VideoInfo, type VideoInfo } from '../codec/h264.js';
import { h265VideoInfo } from '../codec/h265.js';
import type { AudioCodec, MediaMessage, StreamMetadata, VideoCodec, VideoConfig } from '../media/types.js';

const videoInfoOf: Record<VideoCodec, (record: Uint8Array) => VideoInfo> = { h264: h264VideoInfo, h265: h265VideoInfo, av1: av1VideoInfo };

/** Size and RFC 6381 codec string from the decoder configuration record, or null if it does not parse. */
function describeVideo(config: VideoConfig): VideoInfo | null {
  try {
    return videoInfoOf[config.codec](config.record);
  } catch {
    // A record our codec parsers cannot read still streams; the stats fall back to onMetaData.
    return null;
  }
}

export interface StreamStatsSnapshot {
  readonly videoCodec: VideoCodec | null;
  /** RFC 6381 codec string from the sequence header (e.g. avc1.64001f), when it parses. */
  readonly videoCodecString: string | null;
  readonly audioCodec: AudioCodec | null;
  readonly width: number | null;
  readonly height: number | null;
  /** Declared by the publisher (onMetaData framerate). */
  readonly declaredFps: number | null;
  /** Video frames per second received over the measurement window. */
  readonly measuredFps: number | null;
  /** Audio + video payload bits per second received over the measurement window. */
  readonly measuredBitrateKbps: number | null;
  readonly encoder: string | null;
  readonly videoFrames: number;
  readonly audioFrames: number;
  readonly bytes: number;
}

/** One bucket per second; the window is the last `windowSeconds` complete-or-current seconds. */
interface Bucket {
  second: number;
  bytes: number;
  videoFrames: number;
}

export class StreamStats {
  private videoCodec: VideoCodec | null = null;
  private videoInfo: VideoInfo | null = null;
  private audioCodec: AudioCodec | null = null;
  private metadata: StreamMetadata | null = null;
  private videoFrames = 0;
  private audioFrames = 0;
  private bytes = 0;
  private readonly buckets: Bucket[] = [];
  private readonly startedAt: number;

  /** `now` is injected (ms) so tests control time. The window defaults to 5 s. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowSeconds = 5,
  ) {
    this.startedAt = now();
  }

  record(message: MediaMessage): void {
    switch (message.type) {
      case 'video-config':
        this.videoCodec = message.codec;
        this.videoInfo = describeVideo(message);
        return;
      case 'audio-config':
        this.audioCodec = message.codec;
        return;
      case 'metadata':
        this.metadata = message;
        return;
      case 'video':
        this.videoFrames++;
        this.count(message.data.length, 1);
        return;
      case 'audio':
        this.audioFrames++;
        this.count(message.data.length, 0);
        return;
    }
  }

  private count(bytes: number, videoFrames: number): void {
    this.bytes += bytes;
    const second = Math.floor(this.now() / 1000);
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.second !== second) {
      last = { second, bytes: 0, videoFrames: 0 };
      this.buckets.push(last);
      while (this.buckets.length > this.windowSeconds + 1) this.buckets.shift();
    }
    last.bytes += bytes;
    last.videoFrames += videoFrames;
  }

  snapshot(): StreamStatsSnapshot {
    const now = this.now();
    const windowStart = Math.max(this.startedAt, now - this.windowSeconds * 1000);
    const elapsed = (now - windowStart) / 1000;
    let bytes = 0;
    let frames = 0;
    for (const bucket of this.buckets) {
      if ((bucket.second + 1) * 1000 <= windowStart) continue;
      bytes += bucket.bytes;
      frames += bucket.videoFrames;
    }
    const measured = elapsed >= 0.5;
    const m = this.metadata;
    return {
      videoCodec: this.videoCodec,
      videoCodecString: this.videoInfo?.codec ?? null,
      audioCodec: this.audioCodec,
      // What the sequence header says is sent wins over what the encoder was configured to.
      width: this.videoInfo?.width ?? m?.width ?? null,
      height: this.videoInfo?.height ?? m?.height ?? null,
      declaredFps: m?.frameRate ?? null,
      measuredFps: measured ? Math.round((frames / elapsed) * 100) / 100 : null,
      measuredBitrateKbps: measured ? Math.round((bytes * 8) / elapsed / 10) / 100 : null,
      encoder: m?.encoder ?? null,
      videoFrames: this.videoFrames,
      audioFrames: this.audioFrames,
      bytes: this.bytes,
    };
  }
}
