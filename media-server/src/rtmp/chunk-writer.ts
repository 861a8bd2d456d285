// Splits outgoing messages into chunks (Adobe RTMP spec 1.0, section 5.3). Each message starts
// with a type 0 header and continues with type 3 headers: always valid, and the few messages a
// server sends (control, command replies) gain nothing from header compression.
import { ChunkFormat, encodeChunkHeader } from './chunk-header.js';
import { defaultChunkSize } from './chunk-reader.js';
import type { RtmpMessage } from './messages.js';

export class ChunkWriter {
  private chunkSize = defaultChunkSize;

  get outgoingChunkSize(): number {
    return this.chunkSize;
  }

  /** Call after sending SetChunkSize: later messages use the new size. */
  setChunkSize(size: number): void {
    if (!Number.isInteger(size) || size < 1 || size > 0x7fffffff) throw new RangeError(`chunk size ${size} is outside 1..2^31-1`);
    this.chunkSize = size;
  }

  /** The chunks of one message, as one contiguous buffer ready to write to the socket. */
  write(message: RtmpMessage): Uint8Array {
    const { payload, chunkStreamId, timestamp } = message;
    const first = encodeChunkHeader({
      format: ChunkFormat.Full,
      chunkStreamId,
      timestamp,
      messageLength: payload.length,
      messageTypeId: message.typeId,
      messageStreamId: message.streamId,
      extendedTimestamp: timestamp >= 0xffffff,
    });
    const continuation = encodeChunkHeader({ format: ChunkFormat.Continuation, chunkStreamId, timestamp, extendedTimestamp: timestamp >= 0xffffff });
    const chunks = Math.max(1, Math.ceil(payload.length / this.chunkSize));
    const out = new Uint8Array(first.length + payload.length + (chunks - 1) * continuation.length);
    out.set(first, 0);
    let at = first.length;
    for (let offset = 0; offset < payload.length || offset === 0; offset += this.chunkSize) {
      if (offset > 0) {
        out.set(continuation, at);
        at += continuation.length;
      }
      const piece = payload.subarray(offset, offset + this.chunkSize);
      out.set(piece, at);
      at += piece.length;
      if (payload.length === 0) break;
    }
    return out;
  }
}
