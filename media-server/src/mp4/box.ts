// ISO BMFF (ISO/IEC 14496-12) building blocks: every box is
//
//   +------------------+------------+------------------------------+
//   | size (u32, BE)   | type (4cc) | payload (children or fields) |
//   +------------------+------------+------------------------------+
//   full box:  ... | version (u8) | flags (u24) | fields ...
//
// Writers are pure: `box(type, ...children)` concatenates already-encoded parts, so each box
// function in init-segment.ts / fragment.ts reads like the box tree it builds. `findBox` is the
// matching reader, used by tests to parse our output back and walk every box. The integer
// field writers (u8 ... u64) range-check, then encode through bytes/big-endian.ts.
import { encodeU16, encodeU24, encodeU32, encodeU64, readU32, writeU32 } from '../bytes/big-endian.js';

export class Mp4Error extends Error {
  constructor(
    readonly code: 'buffer-too-short' | 'invalid-box-size' | 'value-out-of-range',
    message: string,
  ) {
    super(message);
    this.name = 'Mp4Error';
  }
}

const encoder = new TextEncoder();

/** Concatenates byte arrays into one new array (one copy). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function checkRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Mp4Error('value-out-of-range', `${what} ${value} is outside 0..${max}`);
  }
}

export function u8(value: number): Uint8Array {
  checkRange(value, 0xff, 'u8');
  return Uint8Array.of(value);
}

export function u16(value: number): Uint8Array {
  checkRange(value, 0xffff, 'u16');
  return encodeU16(value);
}

export function u24(value: number): Uint8Array {
  checkRange(value, 0xffffff, 'u24');
  return encodeU24(value);
}

export function u32(value: number): Uint8Array {
  checkRange(value, 0xffffffff, 'u32');
  return encodeU32(value);
}

/** Two's complement 32-bit, for signed fields such as trun v1 composition offsets. */
export function i32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new Mp4Error('value-out-of-range', `i32 ${value} is outside the signed 32-bit range`);
  }
  return encodeU32(value);
}

/** 64-bit unsigned from a JS number (exact up to 2^53). */
export function u64(value: number): Uint8Array {
  checkRange(value, Number.MAX_SAFE_INTEGER, 'u64');
  return encodeU64(value);
}

export function zeros(length: number): Uint8Array {
  return new Uint8Array(length);
}

/** Checked and encoded once per type: a live stream writes ~10 boxes per part, 5 parts a second. */
const fourccs = new Map<string, Uint8Array>();

/** The cached encoding; internal, never handed out (nobody may write to it). */
function encodedType(type: string): Uint8Array {
  let code = fourccs.get(type);
  if (code === undefined) {
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw new Mp4Error('value-out-of-range', `box type ${JSON.stringify(type)} is not a four-character code`);
    code = encoder.encode(type);
    fourccs.set(type, code);
  }
  return code;
}

export function fourcc(type: string): Uint8Array {
  return encodedType(type).slice();
}

export function box(type: string, ...children: readonly Uint8Array[]): Uint8Array {
  let size = 8;
  for (const child of children) size += child.length;
  checkRange(size, 0xffffffff, 'box size');
  // The header is written in place, not concatenated: every part is a moof of ~10 boxes.
  const out = new Uint8Array(size);
  writeU32(out, 0, size);
  out.set(encodedType(type), 4);
  let offset = 8;
  for (const child of children) {
    out.set(child, offset);
    offset += child.length;
  }
  return out;
}

export function fullBox(type: string, version: number, flags: number, ...children: readonly Uint8Array[]): Uint8Array {
  return box(type, u8(version), u24(flags), ...children);
}

export interface BoxView {
  readonly type: string;
  /** Offset of the box header within the buffer that was searched. */
  readonly offset: number;
  readonly size: number;
  /** The payload after the 8-byte header (a view, not a copy). */
  readonly payload: Uint8Array;
}

/** The boxes directly inside `bytes` (one level), in order. Throws on a size that does not fit. */
export function listBoxes(bytes: Uint8Array): BoxView[] {
  const boxes: BoxView[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) throw new Mp4Error('buffer-too-short', `need 4 bytes at ${offset}, have ${bytes.length - offset}`);
    const size = readU32(bytes, offset);
    if (size < 8 || offset + size > bytes.length) {
      throw new Mp4Error('invalid-box-size', `box at ${offset} has size ${size}, ${bytes.length - offset} bytes left`);
    }
    const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    boxes.push({ type, offset, size, payload: bytes.subarray(offset + 8, offset + size) });
    offset += size;
  }
  return boxes;
}

/** Bytes to skip before a container's child boxes start (sample entries and full boxes carry fields first). */
const childOffset: Readonly<Record<string, number>> = {
  stsd: 8, // full box header + entry_count
  dref: 8,
  avc1: 78, // SampleEntry(8) + VisualSampleEntry fields(70)
  hvc1: 78,
  hev1: 78,
  av01: 78,
  mp4a: 28, // SampleEntry(8) + AudioSampleEntry fields(20)
};

/**
 * Every box matching `path` (e.g. ['moof', 'traf', 'trun']), hls.js style. Descends into
 * stsd and sample entries by skipping their fixed fields first.
 */
export function findBox(bytes: Uint8Array, path: readonly string[]): BoxView[] {
  const [head, ...rest] = path;
  if (head === undefined) return [];
  const results: BoxView[] = [];
  for (const found of listBoxes(bytes)) {
    if (found.type !== head) continue;
    if (rest.length === 0) {
      results.push(found);
      continue;
    }
    const skip = childOffset[found.type] ?? 0;
    results.push(...findBox(found.payload.subarray(skip), rest));
  }
  return results;
}
