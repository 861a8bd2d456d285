// RTMP messages (Adobe RTMP spec 1.0, sections 5.4, 6.2 and 7.1): the raw message the chunk
// layer reassembles, and the typed messages decoded from it through one switch.
import { Amf0Object, decodeAmf0, encodeAmf0, type Amf0Limits, type Amf0Value, defaultAmf0Limits } from '../amf/amf0.js';
import { encodeU32, readU16, readU32, writeU16, writeU32 } from '../bytes/big-endian.js';
import { ParseError } from '../bytes/parse-error.js';

/** A reassembled message as the chunk layer sees it: header fields plus the undecoded payload. */
export interface RtmpMessage {
  readonly chunkStreamId: number;
  readonly typeId: number;
  readonly streamId: number;
  /** 32-bit milliseconds, wrapping. */
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

export enum MessageType {
  SetChunkSize = 1,
  Abort = 2,
  Acknowledgement = 3,
  UserControl = 4,
  WindowAckSize = 5,
  SetPeerBandwidth = 6,
  Audio = 8,
  Video = 9,
  DataAmf3 = 15,
  SharedObjectAmf3 = 16,
  CommandAmf3 = 17,
  DataAmf0 = 18,
  SharedObjectAmf0 = 19,
  CommandAmf0 = 20,
  Aggregate = 22,
}

export enum UserControlEvent {
  StreamBegin = 0,
  StreamEof = 1,
  StreamDry = 2,
  SetBufferLength = 3,
  StreamIsRecorded = 4,
  PingRequest = 6,
  PingResponse = 7,
}

export enum PeerBandwidthLimit {
  Hard = 0,
  Soft = 1,
  Dynamic = 2,
}

/** Chunk stream ids we send on: "protocol control messages ... MUST have chunk stream ID 2". */
export enum OutgoingChunkStream {
  Control = 2,
  Command = 3,
  Data = 5,
  Audio = 4,
  Video = 6,
}

interface Base {
  readonly timestamp: number;
  readonly streamId: number;
}

export type Message =
  | (Base & { readonly type: MessageType.SetChunkSize; readonly chunkSize: number })
  | (Base & { readonly type: MessageType.Abort; readonly chunkStreamId: number })
  | (Base & { readonly type: MessageType.Acknowledgement; readonly sequenceNumber: number })
  | (Base & { readonly type: MessageType.WindowAckSize; readonly windowSize: number })
  | (Base & { readonly type: MessageType.SetPeerBandwidth; readonly windowSize: number; readonly limit: PeerBandwidthLimit })
  | (Base & {
      readonly type: MessageType.UserControl;
      readonly event: UserControlEvent;
      /** Stream id for stream events, timestamp for pings. */
      readonly value: number;
      /** SetBufferLength only. */
      readonly bufferLength?: number;
    })
  | (Base & { readonly type: MessageType.Audio; readonly payload: Uint8Array })
  | (Base & { readonly type: MessageType.Video; readonly payload: Uint8Array })
  | (Base & {
      readonly type: MessageType.CommandAmf0;
      readonly name: string;
      readonly transactionId: number;
      readonly commandObject: Amf0Value;
      readonly args: Amf0Value[];
    })
  | (Base & { readonly type: MessageType.DataAmf0; readonly values: Amf0Value[] })
  | (Base & { readonly type: 'unsupported'; readonly typeId: number; readonly payload: Uint8Array });

export type MessageOf<T extends Message['type']> = Extract<Message, { type: T }>;

/** The u32 field at `at`, or ParseError when the payload ends before it. */
function u32Field(payload: Uint8Array, what: string, at = 0): number {
  if (payload.length < at + 4) {
    throw new ParseError('invalid-message', `${what}: payload is ${payload.length} bytes, expected at least ${at + 4}`);
  }
  return readU32(payload, at);
}

function u16Field(payload: Uint8Array, what: string): number {
  if (payload.length < 2) throw new ParseError('invalid-message', `${what}: payload is ${payload.length} bytes, expected at least 2`);
  return readU16(payload, 0);
}

/** Turns a raw message into a typed one. Throws ParseError on a malformed payload. */
export function decodeMessage(raw: RtmpMessage, limits: Amf0Limits = defaultAmf0Limits): Message {
  const base = { timestamp: raw.timestamp, streamId: raw.streamId };
  const p = raw.payload;
  switch (raw.typeId) {
    case MessageType.SetChunkSize:
      return { ...base, type: MessageType.SetChunkSize, chunkSize: u32Field(p, 'SetChunkSize') & 0x7fffffff };
    case MessageType.Abort:
      return { ...base, type: MessageType.Abort, chunkStreamId: u32Field(p, 'Abort') };
    case MessageType.Acknowledgement:
      return { ...base, type: MessageType.Acknowledgement, sequenceNumber: u32Field(p, 'Acknowledgement') };
    case MessageType.WindowAckSize:
      return { ...base, type: MessageType.WindowAckSize, windowSize: u32Field(p, 'WindowAckSize') };
    case MessageType.SetPeerBandwidth: {
      const windowSize = u32Field(p, 'SetPeerBandwidth');
      if (p.length < 5) throw new ParseError('invalid-message', `SetPeerBandwidth: payload is ${p.length} bytes, expected 5`);
      return { ...base, type: MessageType.SetPeerBandwidth, windowSize, limit: (p[4] ?? 0) as PeerBandwidthLimit };
    }
    case MessageType.UserControl: {
      const event = u16Field(p, 'UserControl') as UserControlEvent;
      const rest = p.subarray(2);
      const value = u32Field(rest, 'UserControl event data');
      if (event === UserControlEvent.SetBufferLength) {
        return { ...base, type: MessageType.UserControl, event, value, bufferLength: u32Field(rest, 'SetBufferLength', 4) };
      }
      return { ...base, type: MessageType.UserControl, event, value };
    }
    // Media is nearly every message of a publish: built directly, without spreading `base`.
    case MessageType.Audio:
      return { timestamp: raw.timestamp, streamId: raw.streamId, type: MessageType.Audio, payload: p };
    case MessageType.Video:
      return { timestamp: raw.timestamp, streamId: raw.streamId, type: MessageType.Video, payload: p };
    case MessageType.CommandAmf0:
    case MessageType.CommandAmf3:
      // An AMF3 command starts with one format byte and then, in practice, plain AMF0 values.
      return decodeCommand(base, raw.typeId === MessageType.CommandAmf3 ? p.subarray(1) : p, limits);
    case MessageType.DataAmf0:
    case MessageType.DataAmf3:
      return { ...base, type: MessageType.DataAmf0, values: decodeAmf0(raw.typeId === MessageType.DataAmf3 ? p.subarray(1) : p, limits) };
    default:
      return { ...base, type: 'unsupported', typeId: raw.typeId, payload: p };
  }
}

function decodeCommand(base: Base, payload: Uint8Array, limits: Amf0Limits): Message {
  const values = decodeAmf0(payload, limits);
  const [name, transactionId, commandObject, ...args] = values;
  if (typeof name !== 'string') throw new ParseError('invalid-message', 'command: first value is not a string command name');
  return {
    ...base,
    type: MessageType.CommandAmf0,
    name,
    transactionId: typeof transactionId === 'number' && Number.isFinite(transactionId) ? transactionId : 0,
    commandObject: commandObject ?? null,
    args,
  };
}

/** Turns a typed message into a raw one, on the chunk stream the spec (or convention) assigns it. */
export function encodeMessage(message: Message): RtmpMessage {
  const { timestamp, streamId } = message;
  const raw = (chunkStreamId: number, typeId: number, payload: Uint8Array): RtmpMessage => ({
    chunkStreamId,
    typeId,
    streamId,
    timestamp,
    payload,
  });
  switch (message.type) {
    case MessageType.SetChunkSize:
      return raw(OutgoingChunkStream.Control, message.type, encodeU32(message.chunkSize & 0x7fffffff));
    case MessageType.Abort:
      return raw(OutgoingChunkStream.Control, message.type, encodeU32(message.chunkStreamId));
    case MessageType.Acknowledgement:
      return raw(OutgoingChunkStream.Control, message.type, encodeU32(message.sequenceNumber));
    case MessageType.WindowAckSize:
      return raw(OutgoingChunkStream.Control, message.type, encodeU32(message.windowSize));
    case MessageType.SetPeerBandwidth: {
      const p = new Uint8Array(5);
      writeU32(p, 0, message.windowSize);
      p[4] = message.limit;
      return raw(OutgoingChunkStream.Control, message.type, p);
    }
    case MessageType.UserControl: {
      const p = new Uint8Array(message.bufferLength === undefined ? 6 : 10);
      writeU16(p, 0, message.event);
      writeU32(p, 2, message.value);
      if (message.bufferLength !== undefined) writeU32(p, 6, message.bufferLength);
      return raw(OutgoingChunkStream.Control, message.type, p);
    }
    case MessageType.Audio:
      return raw(OutgoingChunkStream.Audio, message.type, message.payload);
    case MessageType.Video:
      return raw(OutgoingChunkStream.Video, message.type, message.payload);
    case MessageType.CommandAmf0:
      return raw(
        OutgoingChunkStream.Command,
        message.type,
        encodeAmf0([message.name, message.transactionId, message.commandObject, ...message.args]),
      );
    case MessageType.DataAmf0:
      return raw(OutgoingChunkStream.Data, message.type, encodeAmf0(message.values));
    case 'unsupported':
      return raw(OutgoingChunkStream.Command, message.typeId, message.payload);
  }
}

/** Convenience for building command replies: `command('_result', 1, props, info)`. */
export function command(name: string, transactionId: number, commandObject: Amf0Value, args: Amf0Value[], streamId = 0): MessageOf<MessageType.CommandAmf0> {
  return { type: MessageType.CommandAmf0, timestamp: 0, streamId, name, transactionId, commandObject, args };
}

/** The `{level, code, description}` info object carried by onStatus and _result/_error. */
export function statusObject(level: 'status' | 'error' | 'warning', code: string, description: string, extra: Record<string, Amf0Value> = {}): Amf0Object {
  return Amf0Object.from({ level, code, description, ...extra });
}
