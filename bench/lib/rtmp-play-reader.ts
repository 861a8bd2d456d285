// A light RTMP player for the rtmp-fanout phase: plain handshake, connect, createStream, play,
// acknowledgements; then only counts media messages and how far their timestamps fall behind the
// wall clock. Hundreds of these fit in one worker process where hundreds of ffmpegs would not.
// Commands are encoded with the media server's own AMF0/chunk writer; incoming chunks are parsed
// by lib/rtmp-chunk-reader.ts (which keeps only the first bytes of each message).
import { connect, type Socket } from 'node:net';
import { Amf0Object } from '../../media-server/src/amf/amf0.js';
import { ChunkWriter } from '../../media-server/src/rtmp/chunk-writer.js';
import { MessageType as Rtmp, UserControlEvent, command, encodeMessage, type Message } from '../../media-server/src/rtmp/messages.js';
import { RtmpChunkReader } from './rtmp-chunk-reader.js';
import { epochNow } from './time.js';

export interface ReaderStats {
  /** Video arrived at least once. */
  started: boolean;
  /** Socket error, refusal or close before stop(). */
  failed: boolean;
  firstError?: string;
  /** In the window: media messages and payload bytes. */
  windowMessages: number;
  windowBytes: number;
  /** Largest gap between two video messages in the window, ms. */
  maxGapMs: number;
  /**
   * How far behind the player fell: (arrival - timestamp) minus its smallest value over the whole
   * play, the largest seen in the window and at its end, ms.
   */
  maxLagMs: number;
  endLagMs: number;
}

const handshakeLength = 1 + 1536 + 1536;

export class RtmpPlayReader {
  private socket: Socket | undefined;
  private readonly reader = new RtmpChunkReader();
  private readonly writer = new ChunkWriter();
  private received = 0;
  private ackWindow = 0;
  private ackedAt = 0;
  private results = 0;
  private inWindow = false;
  private minOffset = Number.POSITIVE_INFINITY;
  private lastVideoAt = 0;
  private stopped = false;
  private readonly stats: ReaderStats = { started: false, failed: false, windowMessages: 0, windowBytes: 0, maxGapMs: 0, maxLagMs: 0, endLagMs: 0 };

  constructor(private readonly url: string) {}

  start(): void {
    const target = new URL(this.url);
    const socket = connect(Number(target.port || 1935), target.hostname);
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      const c0c1 = new Uint8Array(1537);
      c0c1[0] = 3;
      socket.write(c0c1);
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error.message));
    socket.on('close', () => this.fail('closed by the server'));
  }

  markWindowStart(): void {
    this.inWindow = true;
    this.lastVideoAt = 0;
  }

  stop(): ReaderStats {
    this.stopped = true;
    this.socket?.destroy();
    return this.stats;
  }

  private fail(reason: string): void {
    if (this.stopped || this.stats.failed) return;
    this.stats.failed = true;
    this.stats.firstError = reason;
  }

  private send(message: Message): void {
    this.socket?.write(this.writer.write(encodeMessage(message)));
  }

  private onData(chunk: Buffer): void {
    const before = this.received;
    this.received += chunk.length;
    if (before < handshakeLength && this.received >= handshakeLength) {
      this.socket?.write(new Uint8Array(1536));
      this.send(command('connect', 1, Amf0Object.from({ app: new URL(this.url).pathname.split('/')[1] ?? 'live', flashVer: 'LNX 9,0,124,2', tcUrl: this.url.slice(0, this.url.lastIndexOf('/')), fpad: false, capabilities: 15 }), []));
    }
    let messages;
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
      this.socket?.destroy();
      return;
    }
    const now = epochNow();
    for (const m of messages) {
      if (m.type === Rtmp.Video || m.type === Rtmp.Audio) this.onMedia(m.type, m.timestamp, m.length, now);
      else if (m.type === Rtmp.WindowAckSize && m.head.length >= 4) this.ackWindow = ((m.head[0] ?? 0) * 2 ** 24) + ((m.head[1] ?? 0) << 16) + ((m.head[2] ?? 0) << 8) + (m.head[3] ?? 0);
      else if (m.type === Rtmp.CommandAmf0) this.onCommand(m.head);
    }
    // "The client or the server MUST send an acknowledgment to the peer after receiving bytes equal to the window size."
    if (this.ackWindow > 0 && this.received - this.ackedAt >= this.ackWindow) {
      this.ackedAt = this.received;
      this.send({ type: Rtmp.Acknowledgement, timestamp: 0, streamId: 0, sequenceNumber: this.received % 2 ** 32 });
    }
  }

  private onCommand(head: Uint8Array): void {
    // AMF0 string: 0x02, u16 length, the command name.
    const length = ((head[1] ?? 0) << 8) | (head[2] ?? 0);
    const name = Buffer.from(head.subarray(3, 3 + length)).toString('latin1');
    if (name === '_error') this.fail('_error from the server');
    if (name !== '_result') return;
    this.results++;
    if (this.results === 1) this.send(command('createStream', 2, null, []));
    if (this.results === 2) {
      const name = new URL(this.url).pathname.split('/').slice(2).join('/');
      this.send(command('play', 3, null, [name, -2000, -1, false], 1));
      this.send({ type: Rtmp.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.SetBufferLength, value: 1, bufferLength: 1000 });
    }
  }

  private onMedia(type: number, timestamp: number, length: number, now: number): void {
    if (type === Rtmp.Video) {
      this.stats.started = true;
      if (this.inWindow && this.lastVideoAt > 0) this.stats.maxGapMs = Math.max(this.stats.maxGapMs, now - this.lastVideoAt);
      this.lastVideoAt = now;
    }
    const offset = now - timestamp;
    if (offset < this.minOffset) this.minOffset = offset;
    if (!this.inWindow) return;
    this.stats.windowMessages++;
    this.stats.windowBytes += length;
    const lag = offset - this.minOffset;
    this.stats.endLagMs = lag;
    if (lag > this.stats.maxLagMs) this.stats.maxLagMs = lag;
  }
}
