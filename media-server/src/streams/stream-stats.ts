// Live statistics for one published stream, fed with its media messages: codecs, resolution and
// frame rate from the publisher's metadata, plus frame rate and bitrate as MEASURED over the last
// few seconds of wall-clock time (metadata is what the encoder was told, not what arrives).
import type { AudioCodec, MediaMessage, StreamMetadata, VideoCodec } from '../media/types.js';

export interface StreamStatsSnapshot {
  readonly videoCodec: VideoCodec | null;
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
      audioCodec: this.audioCodec,
      width: m?.width ?? null,
      height: m?.height ?? null,
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
