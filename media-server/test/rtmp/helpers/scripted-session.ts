// Drives an RtmpSession with messages we build (handshake, connect, createStream, then a command),
// for table tests of command arguments no real client sends.
import { Amf0Object, type Amf0Value } from '../../../src/amf/amf0.js';
import { ChunkReader } from '../../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../../src/rtmp/chunk-writer.js';
import { MessageType, command, decodeMessage, encodeMessage, type Message } from '../../../src/rtmp/messages.js';
import { RtmpSession, type SessionAction } from '../../../src/rtmp/session.js';

export class ScriptedSession {
  readonly session = new RtmpSession({ app: 'live', random: (n) => new Uint8Array(n) });
  readonly actions: SessionAction[] = [];
  private readonly writer = new ChunkWriter();

  constructor() {
    const c0c1 = new Uint8Array(1537);
    c0c1[0] = 3;
    this.actions.push(...this.session.receive(c0c1), ...this.session.receive(new Uint8Array(1536)));
    this.send(command('connect', 1, Amf0Object.from({ app: 'live', tcUrl: 'rtmp://127.0.0.1/live' }), []));
    this.send(command('createStream', 2, null, []));
  }

  send(message: Message): void {
    this.actions.push(...this.session.receive(this.writer.write(encodeMessage(message))));
  }

  /** Sends play(args...) on stream 1 and reports what came back. */
  play(args: Amf0Value[]): { authorize: boolean; codes: string[]; closed: boolean } {
    this.send(command('play', 3, null, args, 1));
    const bytes = Buffer.concat(this.actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : [])));
    const codes = new ChunkReader()
      .push(bytes.subarray(3073))
      .map((raw) => decodeMessage(raw))
      .flatMap((m) => (m.type === MessageType.CommandAmf0 && m.args[0] instanceof Amf0Object ? [`${m.name}:${m.args[0].getString('code') ?? ''}`] : []));
    return { authorize: this.actions.some((a) => a.type === 'authorize-play'), codes, closed: this.actions.some((a) => a.type === 'close') };
  }
}
