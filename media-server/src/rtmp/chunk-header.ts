// RTMP chunk header (Adobe RTMP spec 1.0, section 5.3.1): basic header (fmt + chunk stream id)
// followed by a message header of 11, 7, 3 or 0 bytes and an optional extended timestamp.
//
//  basic header     fmt(2 bits) | csid(6 bits)   csid 2..63 in one byte,
//                   csid 0 -> one more byte (64..319), csid 1 -> two more bytes, little endian (64..65599)
//  message header   fmt 0: timestamp(3) length(3) type(1) stream id(4, little endian)
//                   fmt 1: timestamp delta(3) length(3) type(1)
//                   fmt 2: timestamp delta(3)
//                   fmt 3: nothing
//  extended ts      4 bytes, present when the 3-byte field is 0xFFFFFF ("the Extended Timestamp field
//                   is present in Type 3 chunks when the most recent Type 0, 1, or 2 chunk for the same
//                   chunk stream ID indicated the presence of an extended timestamp field").
//                   Some encoders leave it out of type 3 chunks anyway (nginx-rtmp's publish_time_fix),
//                   so it is only consumed when it repeats the last extended value (as SRS does).
import { readU24, readU32, writeU24, writeU32 } from '../bytes/big-endian.js';
import { ParseError } from '../bytes/parse-error.js';

export enum ChunkFormat {
  /** Type 0: absolute timestamp, length, type, stream id. Starts a chunk stream. */
  Full = 0,
  /** Type 1: same message stream as before; delta, length, type. */
  SameStream = 1,
  /** Type 2: same stream, length and type; delta only. */
  TimestampDelta = 2,
  /** Type 3: everything as before (continuation or same-shaped next message). */
  Continuation = 3,
}

export const maxChunkStreamId = 65599;
export const maxChunkHeaderLength = 3 + 11 + 4;
const extendedTimestampMarker = 0xffffff;

export interface ChunkHeader {
  readonly format: ChunkFormat;
  readonly chunkStreamId: number;
  /** fmt 0: absolute timestamp; fmt 1/2: delta; fmt 3: absent (undefined) unless extended. */
  readonly timestamp?: number;
  readonly messageLength?: number;
  readonly messageTypeId?: number;
  readonly messageStreamId?: number;
  /** True when the timestamp came in (or must go into) the 4-byte extended field. */
  readonly extendedTimestamp: boolean;
}

/**
 * Decodes one chunk header at `offset`. Returns null when `bytes` ends before the header does
 * (the caller waits for more input). `lastExtendedTimestamp(csid)` is the extended timestamp
 * field of that chunk stream's last fmt 0/1/2 header, or null when it had none: a fmt 3 header
 * then carries those 4 bytes again (consumed only if they match).
 */
export function decodeChunkHeader(
  bytes: Uint8Array,
  offset: number,
  lastExtendedTimestamp: (chunkStreamId: number) => number | null,
): { header: ChunkHeader; length: number } | null {
  let at = offset;
  const end = bytes.length;
  if (at >= end) return null;
  const first = bytes[at++] ?? 0;
  const format = (first >> 6) as ChunkFormat;
  let chunkStreamId = first & 0x3f;
  if (chunkStreamId === 0) {
    if (at + 1 > end) return null;
    chunkStreamId = 64 + (bytes[at++] ?? 0);
  } else if (chunkStreamId === 1) {
    if (at + 2 > end) return null;
    chunkStreamId = 64 + (bytes[at] ?? 0) + (bytes[at + 1] ?? 0) * 256;
    at += 2;
  }
  const headerLength = format === ChunkFormat.Full ? 11 : format === ChunkFormat.SameStream ? 7 : format === ChunkFormat.TimestampDelta ? 3 : 0;
  if (at + headerLength > end) return null;
  let timestamp: number | undefined;
  let messageLength: number | undefined;
  let messageTypeId: number | undefined;
  let messageStreamId: number | undefined;
  let extendedTimestamp = false;
  if (format !== ChunkFormat.Continuation) {
    timestamp = readU24(bytes, at);
    at += 3;
    if (format !== ChunkFormat.TimestampDelta) {
      messageLength = readU24(bytes, at);
      messageTypeId = bytes[at + 3] ?? 0;
      at += 4;
      if (format === ChunkFormat.Full) {
        messageStreamId = ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
        at += 4;
      }
    }
    extendedTimestamp = timestamp === extendedTimestampMarker;
    if (extendedTimestamp) {
      if (at + 4 > end) return null;
      timestamp = readU32(bytes, at);
      at += 4;
    }
  } else {
    const expected = lastExtendedTimestamp(chunkStreamId);
    if (expected !== null) {
      if (at + 4 > end) return null;
      if (readU32(bytes, at) === expected) {
        extendedTimestamp = true;
        timestamp = expected;
        at += 4;
      }
    }
  }
  const header: ChunkHeader = { format, chunkStreamId, timestamp, messageLength, messageTypeId, messageStreamId, extendedTimestamp };
  return { header, length: at - offset };
}

/** Encodes a chunk header; `timestamp` >= 0xFFFFFF (or `extendedTimestamp`) goes to the extended field. */
export function encodeChunkHeader(header: ChunkHeader): Uint8Array {
  const { format, chunkStreamId } = header;
  if (!Number.isInteger(chunkStreamId) || chunkStreamId < 2 || chunkStreamId > maxChunkStreamId) {
    throw new ParseError('invalid-chunk-header', `chunk stream id ${chunkStreamId} is outside 2..${maxChunkStreamId}`);
  }
  const out = new Uint8Array(maxChunkHeaderLength);
  let at = 0;
  if (chunkStreamId < 64) {
    out[at++] = (format << 6) | chunkStreamId;
  } else if (chunkStreamId < 320) {
    out[at++] = format << 6;
    out[at++] = chunkStreamId - 64;
  } else {
    out[at++] = (format << 6) | 1;
    out[at++] = (chunkStreamId - 64) & 0xff;
    out[at++] = (chunkStreamId - 64) >> 8;
  }
  const timestamp = header.timestamp ?? 0;
  const extended = header.extendedTimestamp || timestamp >= extendedTimestampMarker;
  if (format !== ChunkFormat.Continuation) {
    writeU24(out, at, extended ? extendedTimestampMarker : timestamp);
    at += 3;
    if (format !== ChunkFormat.TimestampDelta) {
      writeU24(out, at, header.messageLength ?? 0);
      out[at + 3] = header.messageTypeId ?? 0;
      at += 4;
      if (format === ChunkFormat.Full) {
        const sid = header.messageStreamId ?? 0;
        out[at] = sid & 0xff;
        out[at + 1] = (sid >>> 8) & 0xff;
        out[at + 2] = (sid >>> 16) & 0xff;
        out[at + 3] = (sid >>> 24) & 0xff;
        at += 4;
      }
    }
  }
  if (extended) {
    writeU32(out, at, timestamp);
    at += 4;
  }
  return out.subarray(0, at);
}
