// Reads the client-to-server half of an RTMP connection (as ffmpeg sends it) far enough to know
// which messages it carries: handshake skipped, chunk stream reassembled per chunk stream id.
// Sans-I/O: push(bytes) returns the messages completed by those bytes. Only what the relay needs
// is kept (type, timestamp, length, the first bytes of the payload).
//
// RTMP spec 5.3.1: chunk = basic header (1-3 bytes) + message header (11/7/3/0 bytes by fmt)
// + extended timestamp (4 bytes when the 24-bit field is 0xFFFFFF) + chunk data.

export const MessageType = { SetChunkSize: 1, Audio: 8, Video: 9, CommandAmf0: 20 } as const;

export interface RtmpMessageInfo {
  type: number;
  timestamp: number;
  length: number;
  /** The first (up to 64) bytes of the payload: FLV tag headers and AMF0 command names live here. */
  head: Uint8Array;
}

interface ChunkStreamState {
  timestamp: number;
  delta: number;
  length: number;
  type: number;
  extended: boolean;
  received: number;
  head: Uint8Array;
  headFilled: number;
}

const handshakeBytes = 1 + 1536 + 1536; // C0 + C1 + C2
// RTMP lengths are 24-bit (< 16 MiB); no real audio/video/command message comes near 8 MiB, so a
// larger one means the stream was misparsed.
const maxMessageLength = 8 * 1024 * 1024;
const headBytes = 64;

export class RtmpChunkReader {
  private handshakeLeft = handshakeBytes;
  private buffer = new Uint8Array(0);
  private chunkSize = 128;
  private readonly streams = new Map<number, ChunkStreamState>();

  push(bytes: Uint8Array): RtmpMessageInfo[] {
    let data = bytes;
    if (this.handshakeLeft > 0) {
      const skip = Math.min(this.handshakeLeft, data.length);
      this.handshakeLeft -= skip;
      data = data.subarray(skip);
    }
    const joined = new Uint8Array(this.buffer.length + data.length);
    joined.set(this.buffer);
    joined.set(data, this.buffer.length);
    const messages: RtmpMessageInfo[] = [];
    let offset = 0;
    for (;;) {
      const consumed = this.readChunk(joined, offset, messages);
      if (consumed === 0) break;
      offset += consumed;
    }
    this.buffer = joined.slice(offset);
    return messages;
  }

  /** Reads one whole chunk at `offset`; returns the bytes consumed, or 0 if it is not complete yet. */
  private readChunk(buf: Uint8Array, offset: number, out: RtmpMessageInfo[]): number {
    let pos = offset;
    const need = (n: number) => pos + n <= buf.length;
    if (!need(1)) return 0;
    const first = buf[pos] ?? 0;
    const fmt = first >> 6;
    let csid = first & 0x3f;
    pos += 1;
    if (csid === 0) {
      if (!need(1)) return 0;
      csid = 64 + (buf[pos] ?? 0);
      pos += 1;
    } else if (csid === 1) {
      if (!need(2)) return 0;
      csid = 64 + (buf[pos] ?? 0) + (buf[pos + 1] ?? 0) * 256;
      pos += 2;
    }
    const headerLength = [11, 7, 3, 0][fmt] ?? 0;
    if (!need(headerLength)) return 0;
    const prev = this.streams.get(csid);
    if (fmt !== 0 && !prev) throw new Error(`RTMP chunk fmt ${fmt} on unknown chunk stream ${csid}`);
    const u24 = (at: number) => ((buf[at] ?? 0) << 16) | ((buf[at + 1] ?? 0) << 8) | (buf[at + 2] ?? 0);
    const state: ChunkStreamState = prev ?? { timestamp: 0, delta: 0, length: 0, type: 0, extended: false, received: 0, head: new Uint8Array(headBytes), headFilled: 0 };
    const startsMessage = fmt !== 3 || state.received === 0;
    let timeField = 0;
    if (fmt <= 2) timeField = u24(pos);
    if (fmt <= 1) {
      state.length = u24(pos + 3);
      state.type = buf[pos + 6] ?? 0;
    }
    pos += headerLength;
    let extended = fmt === 3 ? state.extended : timeField === 0xffffff;
    if (extended) {
      if (!need(4)) return 0;
      timeField = (((buf[pos] ?? 0) << 24) >>> 0) + ((buf[pos + 1] ?? 0) << 16) + ((buf[pos + 2] ?? 0) << 8) + (buf[pos + 3] ?? 0);
      pos += 4;
    }
    if (state.length > maxMessageLength) throw new Error(`RTMP message length ${state.length} exceeds ${maxMessageLength}`);
    const dataLength = Math.min(this.chunkSize, state.length - state.received);
    if (!need(dataLength)) return 0;

    // Only now, with the whole chunk available, commit the header to the chunk stream state.
    if (startsMessage) {
      if (fmt === 0) state.timestamp = timeField;
      else if (fmt === 1 || fmt === 2) {
        state.delta = timeField;
        state.timestamp = (state.timestamp + timeField) >>> 0;
      } else state.timestamp = (state.timestamp + (prev ? state.delta : 0)) >>> 0;
      state.headFilled = 0;
    }
    if (fmt !== 3) state.extended = extended;
    extended = state.extended;
    const payload = buf.subarray(pos, pos + dataLength);
    const copy = Math.min(headBytes - state.headFilled, payload.length);
    state.head.set(payload.subarray(0, copy), state.headFilled);
    state.headFilled += copy;
    state.received += dataLength;
    pos += dataLength;
    this.streams.set(csid, state);

    if (state.received >= state.length) {
      const head = state.head.slice(0, state.headFilled);
      out.push({ type: state.type, timestamp: state.timestamp, length: state.length, head });
      state.received = 0;
      if (state.type === MessageType.SetChunkSize && head.length >= 4) {
        this.chunkSize = ((((head[0] ?? 0) << 24) >>> 0) + ((head[1] ?? 0) << 16) + ((head[2] ?? 0) << 8) + (head[3] ?? 0)) & 0x7fffffff;
      }
    }
    return pos - offset;
  }
}

/** True for an AMF0 command message whose name is `name` (e.g. 'publish'). */
export function isCommand(message: RtmpMessageInfo, name: string): boolean {
  const h = message.head;
  if (message.type !== MessageType.CommandAmf0 || h[0] !== 0x02) return false;
  const length = ((h[1] ?? 0) << 8) | (h[2] ?? 0);
  return new TextDecoder().decode(h.subarray(3, 3 + length)) === name;
}

/** FLV VideoTagHeader (legacy AVC): keyframe flag and whether this is a coded frame (not a sequence header). */
export function videoFrameInfo(message: RtmpMessageInfo): { keyframe: boolean; codedFrame: boolean; sampleBytes: number } {
  const h = message.head;
  return { keyframe: (h[0] ?? 0) >> 4 === 1, codedFrame: h[1] === 1, sampleBytes: message.length - 5 };
}
