// A scripted RTMP publisher for tests that need exact control (idle publishers, hostile bytes):
// plain handshake, connect, createStream, publish, then whatever the test sends. Built on our own
// chunk writer/reader; the real-client tests use ffmpeg and GStreamer instead.
import { connect, type Socket } from 'node:net';
import { Amf0Object } from '../../src/amf/amf0.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { MessageType, command, decodeMessage, encodeMessage, type Message } from '../../src/rtmp/messages.js';

export class ScriptedClient {
  readonly received: Message[] = [];
  private readonly writer = new ChunkWriter();
  private readonly reader = new ChunkReader();
  private handshakeBytes = 0;
  private waiters = new Set<() => void>();
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let data: Uint8Array = chunk;
      if (this.handshakeBytes < 3073) {
        const take = Math.min(3073 - this.handshakeBytes, data.length);
        this.handshakeBytes += take;
        data = data.subarray(take);
        if (this.handshakeBytes === 3073) socket.write(new Uint8Array(1536));
      }
      if (data.length > 0) for (const raw of this.reader.push(data)) this.received.push(decodeMessage(raw));
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<ScriptedClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new ScriptedClient(socket);
    const c0c1 = new Uint8Array(1537);
    c0c1[0] = 3;
    socket.write(c0c1);
    await client.until(() => client.handshakeBytes === 3073);
    return client;
  }

  send(message: Message): void {
    const bytes = this.writer.write(encodeMessage(message));
    if (message.type === MessageType.SetChunkSize) this.writer.setChunkSize(message.chunkSize);
    this.socket.write(bytes);
  }

  until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`condition not met within ${timeoutMs} ms; received ${JSON.stringify(this.statusCodes())}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** onStatus codes and _result/_error names received so far. */
  statusCodes(): string[] {
    return this.received.flatMap((m) => {
      if (m.type !== MessageType.CommandAmf0) return [];
      const info = m.args[0];
      return [info instanceof Amf0Object ? `${m.name}:${info.getString('code') ?? ''}` : m.name];
    });
  }

  /** connect + createStream + publish; resolves once onStatus arrives (or the socket closes). */
  async publish(name: string, app = 'live', alreadyConnected = false): Promise<string[]> {
    if (!alreadyConnected) {
      this.send(command('connect', 1, Amf0Object.from({ app, type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; test)', tcUrl: `rtmp://127.0.0.1/${app}` }), []));
      await this.until(() => this.closed || this.statusCodes().some((c) => c.startsWith('_result') || c.startsWith('_error')));
      if (this.closed) return this.statusCodes();
    }
    this.send(command('createStream', 2, null, []));
    await this.until(() => this.closed || this.received.some((m) => m.type === MessageType.CommandAmf0 && m.transactionId === 2));
    this.send(command('publish', 3, null, [name, 'live'], 1));
    await this.until(() => this.closed || this.statusCodes().some((c) => c.startsWith('onStatus')));
    return this.statusCodes();
  }

  close(): void {
    this.socket.destroy();
  }
}
