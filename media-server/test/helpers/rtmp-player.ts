// A light RTMP player for tests: handshake, connect, createStream, play, then counts what arrives
// (video/audio messages and bytes, keyframes, the onStatus codes) without keeping the media.
// `stopReading()` pauses the socket: a player that stops reading, as a stalled VLC would.
import { connect, type Socket } from 'node:net';
import { Amf0Object } from '../../src/amf/amf0.js';
import { ChunkReader, defaultChunkReaderLimits } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { MessageType, command, decodeMessage, encodeMessage, type Message } from '../../src/rtmp/messages.js';

export class RtmpPlayer {
  readonly statusCodes: string[] = [];
  videoMessages = 0;
  audioMessages = 0;
  keyframes = 0;
  mediaBytes = 0;
  dataNames: string[] = [];
  /** The first video and audio payloads (sequence headers, in practice). */
  readonly firstPayloads: Array<{ type: 'video' | 'audio'; payload: Uint8Array }> = [];
  closed = false;
  private readonly writer = new ChunkWriter();
  private readonly reader = new ChunkReader(defaultChunkReaderLimits);
  private handshakeBytes = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RtmpPlayer> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const player = new RtmpPlayer(socket);
    const c0c1 = new Uint8Array(1537);
    c0c1[0] = 3;
    socket.write(c0c1);
    await player.until(() => player.handshakeBytes === 3073 || player.closed);
    return player;
  }

  private wake(): void {
    for (const wake of this.waiters) wake();
  }

  private onData(chunk: Buffer): void {
    let data: Uint8Array = chunk;
    if (this.handshakeBytes < 3073) {
      const take = Math.min(3073 - this.handshakeBytes, data.length);
      this.handshakeBytes += take;
      data = data.subarray(take);
      if (this.handshakeBytes === 3073) this.socket.write(new Uint8Array(1536));
    }
    if (data.length > 0) for (const raw of this.reader.push(data)) this.onMessage(decodeMessage(raw));
    this.wake();
  }

  private onMessage(message: Message): void {
    switch (message.type) {
      case MessageType.Video:
      case MessageType.Audio: {
        const video = message.type === MessageType.Video;
        if (video) this.videoMessages++;
        else this.audioMessages++;
        this.mediaBytes += message.payload.length;
        if (video && (message.payload[0] ?? 0) >> 4 === 1 && message.payload[1] === 1) this.keyframes++;
        if (this.firstPayloads.length < 4) this.firstPayloads.push({ type: video ? 'video' : 'audio', payload: message.payload.slice(0, 64) });
        return;
      }
      case MessageType.DataAmf0:
        if (typeof message.values[0] === 'string') this.dataNames.push(message.values[0]);
        return;
      case MessageType.CommandAmf0: {
        const info = message.args[0];
        this.statusCodes.push(info instanceof Amf0Object ? `${message.name}:${info.getString('code') ?? ''}` : message.name);
        return;
      }
      default:
        return;
    }
  }

  private send(message: Message): void {
    this.socket.write(this.writer.write(encodeMessage(message)));
  }

  until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`condition not met within ${timeoutMs} ms; statuses ${JSON.stringify(this.statusCodes)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** connect + createStream + play; resolves with the onStatus codes once Play.Start or an error arrived (or the socket closed). */
  async play(name: string, app = 'live'): Promise<string[]> {
    this.send(command('connect', 1, Amf0Object.from({ app, flashVer: 'LNX 9,0,124,2', tcUrl: `rtmp://127.0.0.1/${app}`, fpad: false, capabilities: 15 }), []));
    await this.until(() => this.closed || this.statusCodes.some((c) => c.startsWith('_result') || c.startsWith('_error')));
    this.send(command('createStream', 2, null, []));
    await this.until(() => this.closed || this.statusCodes.filter((c) => c.startsWith('_result')).length >= 2);
    this.send(command('play', 3, null, [name, -2000, -1, false], 1));
    await this.until(() => this.closed || this.statusCodes.some((c) => c === 'onStatus:NetStream.Play.Start' || c.startsWith('onStatus:NetStream.Play.StreamNotFound') || c === 'onStatus:NetStream.Play.Failed'));
    return this.statusCodes;
  }

  stopReading(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }
}
