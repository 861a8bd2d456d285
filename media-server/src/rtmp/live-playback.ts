// RTMP playback of live streams: a StreamOutputs next to HLS and stats (fanOut in index.ts).
// Every media message of a publish is encoded once (play-packets.ts), only while the stream has
// players, and the same bytes go to every player of that stream; a joining player gets metadata, decoder configurations and the
// current GOP first (gop-cache.ts), so it starts at once. Each player's output queue is bounded
// by its pacer (player-pacer.ts). No sockets here: rtmp/server.ts hands in a PlayerOutput.
//
// The messages of one publisher read are sent together at flush(): each player that takes all of
// them gets one buffer, the same for every player, so a player costs one socket write per read
// rather than one per message (the write, not the bytes, is what a player costs).
import type { MediaMessage, PublishedStream, StreamEndReason, StreamOutputs, StreamSink, VideoCodec } from '../media/types.js';
import { ChunkWriter } from './chunk-writer.js';
import { GopCache } from './gop-cache.js';
import { LazyPlayPacket, encodePlayPacket, type PlayEncodeContext, type PlayPacket } from './play-packets.js';
import { PlayerPacer, type PacerLimits } from './player-pacer.js';

/** One player's connection, as the playback side sees it. */
export interface PlayerOutput {
  /** Queues bytes for the player (a socket write). */
  send(bytes: Uint8Array): void;
  /** Bytes queued and not yet taken by the peer. */
  readonly queuedBytes: number;
  /** The stream ended ('unpublish') or the player fell too far behind ('too-slow'). Called once. */
  end(reason: 'unpublish' | 'too-slow'): void;
}

export interface LivePlaybackOptions extends PacerLimits {
  /** The chunk size every session announces in connect (session.ts): shared bytes are chunked at it. */
  readonly chunkSize: number;
  /** Largest GOP kept for joining players. */
  readonly maxGopBytes: number;
  readonly now?: () => number;
}

interface Player {
  readonly output: PlayerOutput;
  readonly pacer: PlayerPacer;
}

/** The chunks of a batch of packets as one buffer, joined once, the first time a player takes the whole batch. */
class SharedBatch {
  private joined: Buffer | undefined;

  constructor(private readonly packets: readonly PlayPacket[]) {}

  get bytes(): Buffer {
    this.joined ??= this.packets.length === 1 ? this.packets[0]!.bytes : Buffer.concat(this.packets.map((packet) => packet.bytes));
    return this.joined;
  }
}

class StreamPlayback {
  readonly players = new Set<Player>();
  readonly cache: GopCache;
  private readonly writer = new ChunkWriter();
  private videoCodec: VideoCodec | undefined;
  private hasAudio = false;
  private lastTimestamp = 0;
  /** Written since the last flush, for the players there were then. */
  private pending: PlayPacket[] = [];

  constructor(private readonly options: LivePlaybackOptions) {
    this.writer.setChunkSize(options.chunkSize);
    this.cache = new GopCache(options.maxGopBytes);
  }

  private get context(): PlayEncodeContext {
    return { videoCodec: this.videoCodec, hasAudio: this.hasAudio };
  }

  write(message: MediaMessage): void {
    if (message.type === 'video-config') this.videoCodec = message.codec;
    if (message.type === 'audio-config') this.hasAudio = true;
    if (message.type === 'video' || message.type === 'audio') this.lastTimestamp = message.timestamp;
    this.cache.remember(message);
    if (message.type === 'video' && !this.videoCodec) return;
    const entry = new LazyPlayPacket(message, this.lastTimestamp, this.context, this.writer);
    this.cache.add(entry);
    // Encoded only while someone plays: most streams have no RTMP player.
    if (this.players.size === 0) return;
    const packet = entry.packet;
    if (packet) this.pending.push(packet);
  }

  /** Sends the packets written since the last flush to every player. */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const now = this.now();
    const whole = new SharedBatch(batch);
    for (const player of this.players) this.deliver(player, batch, whole, now);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The pacer decides packet by packet, as if each one sent were already queued. */
  private deliver(player: Player, batch: readonly PlayPacket[], whole: SharedBatch, now: number): void {
    const { output, pacer } = player;
    let queued = output.queuedBytes;
    // Nothing is written while every packet so far is sent: then the batch goes out as one buffer.
    let sendingAll = true;
    for (let i = 0; i < batch.length; i++) {
      const packet = batch[i]!;
      const decision = pacer.decide(packet, queued, now);
      if (decision === 'drop') return this.remove(player, 'too-slow');
      if (decision === 'send') {
        queued += packet.bytes.length;
        if (!sendingAll) output.send(packet.bytes);
      } else if (sendingAll) {
        sendingAll = false;
        for (let j = 0; j < i; j++) output.send(batch[j]!.bytes);
      }
    }
    if (sendingAll) output.send(whole.bytes);
  }

  /** The packets a joining player starts with, configurations stamped at the GOP's first timestamp. */
  startPackets(): PlayPacket[] {
    const { metadata, videoConfig, audioConfig, gop } = this.cache.start;
    const at = gop[0]?.timestamp ?? this.lastTimestamp;
    const packets: PlayPacket[] = [];
    for (const message of [metadata, videoConfig, audioConfig]) {
      const packet = message && encodePlayPacket(message, at, this.context, this.writer);
      if (packet) packets.push(packet);
    }
    for (const entry of gop) {
      const packet = entry.packet;
      if (packet) packets.push(packet);
    }
    return packets;
  }

  join(output: PlayerOutput): () => void {
    // The pending packets are in the GOP the player starts with: it must not get them twice.
    this.flush();
    const player: Player = { output, pacer: new PlayerPacer(this.options) };
    const now = this.now();
    const start = this.startPackets();
    // Inter frames without their keyframe only make a decoder complain: start at the next one.
    if (this.videoCodec && !start.some((packet) => packet.keyframe)) player.pacer.waitForKeyframe(now);
    for (const packet of start) {
      const decision = player.pacer.decide(packet, output.queuedBytes, now);
      if (decision === 'send') output.send(packet.bytes);
      else if (decision === 'drop') {
        output.end('too-slow');
        return () => undefined;
      }
    }
    this.players.add(player);
    return () => {
      this.players.delete(player);
    };
  }

  remove(player: Player, reason: 'unpublish' | 'too-slow'): void {
    if (!this.players.delete(player)) return;
    player.output.end(reason);
  }

  end(): void {
    this.flush();
    for (const player of [...this.players]) this.remove(player, 'unpublish');
  }
}

export class LivePlayback implements StreamOutputs {
  private readonly streams = new Map<string, StreamPlayback>();

  constructor(private readonly options: LivePlaybackOptions) {}

  /** Unread bytes past which a player is dropped whatever it is sent (the pacer's hard cap). */
  get maxUnreadBytes(): number {
    return 2 * this.options.maxQueueBytes;
  }

  private key(app: string, name: string): string {
    return `${app}/${name}`;
  }

  open(stream: PublishedStream): StreamSink {
    const key = this.key(stream.app, stream.name);
    const playback = new StreamPlayback(this.options);
    this.streams.set(key, playback);
    let ended = false;
    return {
      write: (message: MediaMessage) => playback.write(message),
      flush: () => playback.flush(),
      end: (_reason: StreamEndReason) => {
        if (ended) return;
        ended = true;
        if (this.streams.get(key) === playback) this.streams.delete(key);
        playback.end();
      },
    };
  }

  /** Whether `app`/`name` (a public name) is being published now. */
  isLive(app: string, name: string): boolean {
    return this.streams.has(this.key(app, name));
  }

  /** Players of `app`/`name` right now. */
  playerCount(app: string, name: string): number {
    return this.streams.get(this.key(app, name))?.players.size ?? 0;
  }

  /**
   * Adds a player: it is sent the start packets now and every later packet while it keeps up.
   * Returns its detach function, or null when the stream is not live.
   */
  join(app: string, name: string, output: PlayerOutput): (() => void) | null {
    return this.streams.get(this.key(app, name))?.join(output) ?? null;
  }
}
