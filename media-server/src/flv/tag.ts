// FLV tags (Adobe FLV spec v10.1, E.4.1), as they appear inside an RTMP Aggregate message
// (type 22): a run of tags, each followed by its 4-byte PreviousTagSize.
//
//   TagType(1) DataSize(3) Timestamp(3) TimestampExtended(1) StreamID(3) Data(DataSize) PreviousTagSize(4)
import { readU24, writeU24, writeU32 } from '../bytes/big-endian.js';
import { ParseError } from '../bytes/parse-error.js';

export enum FlvTagType {
  Audio = 8,
  Video = 9,
  ScriptData = 18,
}

export interface FlvTag {
  readonly tagType: number;
  /** 32-bit ms: the 24-bit field plus TimestampExtended as the upper 8 bits. */
  readonly timestamp: number;
  readonly data: Uint8Array;
}

const tagHeaderLength = 11;

/** Decodes back-to-back tags; `data` views the input (no copy). At most `maxTags` tags. */
export function decodeFlvTags(bytes: Uint8Array, maxTags = 4096): FlvTag[] {
  const tags: FlvTag[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (tags.length >= maxTags) throw new ParseError('flv-invalid-tag', `aggregate: more than ${maxTags} tags`);
    if (at + tagHeaderLength > bytes.length) throw new ParseError('buffer-too-short', `flv tag header at ${at}: ${bytes.length - at} bytes left`);
    const tagType = (bytes[at] ?? 0) & 0x1f;
    const size = readU24(bytes, at + 1);
    // TimestampExtended (byte 7) is the upper 8 bits of the 24-bit Timestamp before it.
    const timestamp = ((bytes[at + 7] ?? 0) * 0x1000000 + readU24(bytes, at + 4)) >>> 0;
    const start = at + tagHeaderLength;
    if (start + size + 4 > bytes.length) throw new ParseError('buffer-too-short', `flv tag at ${at}: ${size} data bytes + 4 do not fit`);
    tags.push({ tagType, timestamp, data: bytes.subarray(start, start + size) });
    at = start + size + 4;
  }
  return tags;
}

export function encodeFlvTags(tags: readonly FlvTag[]): Uint8Array {
  const out = new Uint8Array(tags.reduce((n, t) => n + tagHeaderLength + t.data.length + 4, 0));
  let at = 0;
  for (const tag of tags) {
    const size = tag.data.length;
    out[at] = tag.tagType;
    writeU24(out, at + 1, size);
    writeU24(out, at + 4, tag.timestamp);
    out[at + 7] = (tag.timestamp >>> 24) & 0xff;
    out.set(tag.data, at + tagHeaderLength);
    writeU32(out, at + tagHeaderLength + size, tagHeaderLength + size);
    at += tagHeaderLength + size + 4;
  }
  return out;
}
