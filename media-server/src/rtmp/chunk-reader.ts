// Reassembles RTMP messages from the chunk stream (Adobe RTMP spec 1.0, section 5.3). Push-based
// and sans-I/O: `push(bytes)` returns every message completed by those bytes.
//
// Costs: each payload byte is copied once, into a buffer allocated for its message when the
// message starts; only a partial chunk header (< 18 bytes) is ever carried over between pushes.
// Bounds: message length, chunk size, number of chunk streams and the total declared length of
// messages in progress are all capped, so a hostile peer cannot make us allocate without sending.
import { readU32 } from '../bytes/big-endian.js';
import { ChunkFormat, decodeChunkHeader, maxChunkHeaderLength, type ChunkHeader } from './chunk-header.js';
import { MessageType, type RtmpMessage } from './messages.js';
import { ParseError } from '../bytes/parse-error.js';

export interface ChunkReaderLimits {
  /** Largest message accepted. Default 8 MiB: a 1080p60 keyframe at 20 Mbps is well under 2 MiB. */
  maxMessageSize: number;
  /** Largest chunk size the peer may set. Default 16 MiB (the 24-bit message length caps messages anyway). */
  maxChunkSize: number;
  /** Most chunk streams a peer may use at once. Default 64; encoders use 2 to 8. */
  maxChunkStreams: number;
  /** Total declared length of all messages in progress. Default 16 MiB. */
  maxPendingBytes: number;
}

export const defaultChunkReaderLimits: ChunkReaderLimits = {
  maxMessageSize: 8 << 20,
  maxChunkSize: 16 << 20,
  maxChunkStreams: 64,
  maxPendingBytes: 16 << 20,
};

/**
 * What a connection may hold before its publish is accepted: `connect`, `createStream` and
 * `publish` are a few hundred bytes each (OBS, ffmpeg, GStreamer), on chunk streams 2-4. A
 * stranger therefore costs a few KiB however many messages it declares.
 */
export const defaultPreAuthChunkReaderLimits: ChunkReaderLimits = {
  maxMessageSize: 4096,
  maxChunkSize: 16 << 20,
  maxChunkStreams: 8,
  maxPendingBytes: 16 << 10,
};

/** "The maximum chunk size defaults to 128 bytes" (5.4.1). */
export const defaultChunkSize = 128;

interface ChunkStreamState {
  readonly id: number;
  timestamp: number;
  /** The timestamp field of the last fmt 0/1/2 header (ffmpeg and nginx-rtmp reuse it for fmt 3). */
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  extended: boolean;
  /** The value of the last extended timestamp field (fmt 0: absolute, fmt 1/2: delta). */
  extendedField: number;
  /** Payload of the message in progress (allocated at its first chunk), null between messages. */
  payload: Uint8Array | null;
  received: number;
}

export class ChunkReader {
  private chunkSize = defaultChunkSize;
  private readonly streams = new Map<number, ChunkStreamState>();
  private leftover: Uint8Array = new Uint8Array(0);
  /** Chunk stream whose payload bytes are being read, and how many bytes remain in this chunk. */
  private current: ChunkStreamState | null = null;
  private remainingInChunk = 0;
  private pendingBytes = 0;
  /** Total bytes pushed, for Acknowledgement messages (5.4.3). */
  bytesReceived = 0;

  constructor(private limits: ChunkReaderLimits = defaultChunkReaderLimits) {}

  /**
   * Replaces the limits for what follows (the session raises them once a publish is accepted).
   * Messages already in progress keep their buffers; they were checked against the old limits.
   */
  setLimits(limits: ChunkReaderLimits): void {
    this.limits = limits;
  }

  /** Bytes held for messages in progress plus a partial chunk header: this reader's memory. */
  get bufferedBytes(): number {
    return this.pendingBytes + this.leftover.length;
  }

  get incomingChunkSize(): number {
    return this.chunkSize;
  }

  push(bytes: Uint8Array): RtmpMessage[] {
    this.bytesReceived += bytes.length;
    const messages: RtmpMessage[] = [];
    this.consume(bytes, messages);
    return messages;
  }

  private consume(bytes: Uint8Array, messages: RtmpMessage[]): void {
    let pos = 0;
    while (pos < bytes.length) {
      if (this.current) {
        const st = this.current;
        const take = Math.min(this.remainingInChunk, bytes.length - pos);
        st.payload?.set(bytes.subarray(pos, pos + take), st.received);
        st.received += take;
        pos += take;
        this.remainingInChunk -= take;
        if (this.remainingInChunk > 0) break;
        this.current = null;
        if (st.received === st.length) messages.push(this.complete(st));
        continue;
      }
      let decoded: { header: ChunkHeader; length: number } | null;
      /** Held-over bytes the header did not use (a type 3 lookahead that was payload after all). */
      let surplus: Uint8Array | null = null;
      if (this.leftover.length > 0) {
        const held = this.leftover.length;
        const joined = new Uint8Array(held + Math.min(maxChunkHeaderLength, bytes.length - pos));
        joined.set(this.leftover, 0);
        joined.set(bytes.subarray(pos, pos + joined.length - held), held);
        decoded = decodeChunkHeader(joined, 0, this.lastExtended);
        if (!decoded) {
          pos += joined.length - held;
          this.leftover = joined;
          break;
        }
        this.leftover = new Uint8Array(0);
        if (decoded.length >= held) pos += decoded.length - held;
        else surplus = joined.subarray(decoded.length, held);
      } else {
        decoded = decodeChunkHeader(bytes, pos, this.lastExtended);
        if (!decoded) {
          this.leftover = bytes.slice(pos);
          break;
        }
        pos += decoded.length;
      }
      const st = this.applyHeader(decoded.header);
      this.remainingInChunk = Math.min(this.chunkSize, st.length - st.received);
      if (this.remainingInChunk === 0) {
        messages.push(this.complete(st));
      } else {
        this.current = st;
      }
      // At most 4 bytes, and they come before the rest of this input.
      if (surplus) this.consume(surplus, messages);
    }
  }

  private readonly lastExtended = (chunkStreamId: number): number | null => {
    const st = this.streams.get(chunkStreamId);
    return st?.extended ? st.extendedField : null;
  };

  private applyHeader(h: ChunkHeader): ChunkStreamState {
    let st = this.streams.get(h.chunkStreamId);
    if (!st) {
      if (h.format !== ChunkFormat.Full) {
        throw new ParseError('invalid-chunk-header', `chunk stream ${h.chunkStreamId} starts with a type ${h.format} header instead of type 0`);
      }
      if (this.streams.size >= this.limits.maxChunkStreams) {
        throw new ParseError('too-many-chunk-streams', `more than ${this.limits.maxChunkStreams} chunk streams in use`);
      }
      st = { id: h.chunkStreamId, timestamp: 0, delta: 0, length: 0, typeId: 0, streamId: 0, extended: false, extendedField: 0, payload: null, received: 0 };
      this.streams.set(h.chunkStreamId, st);
    }
    const inProgress = st.payload !== null;
    if (inProgress && h.format !== ChunkFormat.Continuation) {
      throw new ParseError(
        'invalid-chunk-header',
        `type ${h.format} header on chunk stream ${h.chunkStreamId} while a message is ${st.length - st.received} bytes short`,
      );
    }
    if (inProgress) return st; // a continuation chunk: the header carries nothing new
    if (h.format !== ChunkFormat.Continuation) {
      st.extended = h.extendedTimestamp;
      st.extendedField = h.timestamp ?? 0;
    }
    switch (h.format) {
      case ChunkFormat.Full:
        st.timestamp = h.timestamp ?? 0;
        st.delta = st.timestamp;
        st.length = h.messageLength ?? 0;
        st.typeId = h.messageTypeId ?? 0;
        st.streamId = h.messageStreamId ?? 0;
        break;
      case ChunkFormat.SameStream:
        st.delta = h.timestamp ?? 0;
        st.length = h.messageLength ?? 0;
        st.typeId = h.messageTypeId ?? 0;
        st.timestamp = (st.timestamp + st.delta) >>> 0;
        break;
      case ChunkFormat.TimestampDelta:
        st.delta = h.timestamp ?? 0;
        st.timestamp = (st.timestamp + st.delta) >>> 0;
        break;
      case ChunkFormat.Continuation:
        // A new message with everything as before; its delta is the previous one (or the
        // extended field when that is present).
        if (h.extendedTimestamp && h.timestamp !== undefined) st.delta = h.timestamp;
        st.timestamp = (st.timestamp + st.delta) >>> 0;
        break;
    }
    if (st.length > this.limits.maxMessageSize) {
      throw new ParseError('message-too-large', `message of ${st.length} bytes (type ${st.typeId}) exceeds limit ${this.limits.maxMessageSize}`);
    }
    if (this.pendingBytes + st.length > this.limits.maxPendingBytes) {
      throw new ParseError('buffer-limit-exceeded', `messages in progress would hold more than ${this.limits.maxPendingBytes} bytes`);
    }
    this.pendingBytes += st.length;
    st.payload = Buffer.allocUnsafe(st.length);
    st.received = 0;
    return st;
  }

  private complete(st: ChunkStreamState): RtmpMessage {
    const payload = st.payload ?? new Uint8Array(0);
    st.payload = null;
    st.received = 0;
    this.pendingBytes -= st.length;
    const message: RtmpMessage = { chunkStreamId: st.id, typeId: st.typeId, streamId: st.streamId, timestamp: st.timestamp, payload };
    // Protocol control messages that change how the following chunks are read take effect here,
    // before the next byte is parsed (they may arrive in the same push as the chunks they affect).
    if (st.typeId === MessageType.SetChunkSize) this.setChunkSize(payload);
    else if (st.typeId === MessageType.Abort) this.abort(payload);
    return message;
  }

  private setChunkSize(payload: Uint8Array): void {
    if (payload.length < 4) throw new ParseError('invalid-message', `SetChunkSize payload is ${payload.length} bytes, expected 4`);
    // "The maximum chunk size ... MUST be at least 1"; bit 31 "MUST be zero".
    const size = readU32(payload, 0);
    if (size < 1 || size > this.limits.maxChunkSize) {
      throw new ParseError('chunk-size-out-of-range', `SetChunkSize ${size} is outside 1..${this.limits.maxChunkSize}`);
    }
    this.chunkSize = size;
  }

  private abort(payload: Uint8Array): void {
    if (payload.length < 4) throw new ParseError('invalid-message', `Abort payload is ${payload.length} bytes, expected 4`);
    const csid = readU32(payload, 0);
    const st = this.streams.get(csid);
    if (st?.payload) {
      this.pendingBytes -= st.length;
      st.payload = null;
      st.received = 0;
    }
  }
}
