// FLV tags (Adobe FLV spec v10.1, E.4.1), as they appear inside an RTMP Aggregate message
// (type 22): a run of tags, each followed by its 4-byte PreviousTagSize.
//
//   TagType(1) DataSize(3) Timestamp(3) TimestampExtended(1) StreamID(3) Data(DataSize) PreviousTagSize(4)
import { ParseError } from '../rtmp/parse-error.js';

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
    const size = ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    const timestamp = (((bytes[at + 7] ?? 0) << 24) | ((bytes[at + 4] ?? 0) << 16) | ((bytes[at + 5] ?? 0) << 8) | (bytes[at + 6] ?? 0)) >>> 0;
    const start = at + tagHeaderLength;
    if (start + size + 4 > bytes.length) throw new ParseError('buffer-too-short', `flv tag at ${at}: ${size} data bytes + 4 do not fit`);
    tags.push({ tagType, timestamp, data: bytes.subarray(start, start + size) });
    at = start + size + 4;
  }
  return tags;
}

export function encodeFlvTags(tags: readonly FlvTag[]): Uint8Array {
  const out = new Uint8Array(tags.reduce((n, t) => n + tagHeaderLength + t.data.length + 4, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const tag of tags) {
    const size = tag.data.length;
    out[at] = tag.tagType;
    out[at + 1] = (size >> 16) & 0xff;
    out[at + 2] = (size >> 8) & 0xff;
    out[at + 3] = size & 0xff;
    out[at + 4] = (tag.timestamp >>> 16) & 0xff;
    out[at + 5] = (tag.timestamp >>> 8) & 0xff;
    out[at + 6] = tag.timestamp & 0xff;
    out[at + 7] = (tag.timestamp >>> 24) & 0xff;
    out.set(tag.data, at + tagHeaderLength);
    view.setUint32(at + tagHeaderLength + size, tagHeaderLength + size);
    at += tagHeaderLength + size + 4;
  }
  return out;
}
