// What a player needs to start at once: the stream's metadata and decoder configurations, and
// the current group of pictures (from the latest keyframe on). One per live stream, shared by
// all its players; it holds the messages (LazyPlayPacket), encoded once when a player first needs
// them, and the packets are the same objects every player is sent.
//
// Bounded: a GOP that grows past `maxBytes` (a publisher sending no keyframes) is dropped, and
// players that join meanwhile start at the next keyframe.
import type { MediaMessage, StreamMetadata, VideoConfig, AudioConfig } from '../media/types.js';
import type { LazyPlayPacket } from './play-packets.js';

export interface StartState {
  readonly metadata: StreamMetadata | undefined;
  readonly videoConfig: VideoConfig | undefined;
  readonly audioConfig: AudioConfig | undefined;
  /** From the latest keyframe on; empty when there is none (yet, or the GOP overflowed). */
  readonly gop: readonly LazyPlayPacket[];
}

export class GopCache {
  private metadata: StreamMetadata | undefined;
  private videoConfig: VideoConfig | undefined;
  private audioConfig: AudioConfig | undefined;
  private gop: LazyPlayPacket[] = [];
  private gopBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes of media held now. */
  get bytes(): number {
    return this.gopBytes;
  }

  /** Remembers a configuration or metadata message (the last one of each kind wins). */
  remember(message: MediaMessage): void {
    if (message.type === 'metadata') this.metadata = message;
    else if (message.type === 'video-config') this.videoConfig = message;
    else if (message.type === 'audio-config') this.audioConfig = message;
  }

  /** Adds a media packet: a keyframe starts a new GOP; before the first keyframe nothing is kept. */
  add(packet: LazyPlayPacket): void {
    if (packet.kind !== 'video' && packet.kind !== 'audio') return;
    // Audio-only streams have no keyframes: every audio frame is a place to start.
    const startsGop = packet.keyframe || (packet.kind === 'audio' && !this.videoConfig);
    if (startsGop) this.clear();
    else if (this.gop.length === 0) return;
    if (this.gopBytes + packet.size > this.maxBytes) return this.clear();
    this.gop.push(packet);
    this.gopBytes += packet.size;
  }

  private clear(): void {
    this.gop = [];
    this.gopBytes = 0;
  }

  get start(): StartState {
    return { metadata: this.metadata, videoConfig: this.videoConfig, audioConfig: this.audioConfig, gop: this.gop };
  }
}
