// Big-endian ("network byte order") integers, the byte order of every field in RTMP, FLV and
// ISO BMFF. The one place the media server shifts bytes into numbers and back.
//
//   readU16 / readU24 / readI24 / readU32 / readI32 / readU64   value at an offset
//   writeU16 / writeU24 / writeI24 / writeU32 / writeI32 / writeU64   value into an offset
//   encodeU16 / encodeU24 / encodeU32 / encodeU64   value as a new array
//
// Readers do not check bounds: a caller checks `offset + n <= length` first (and throws its own
// layer's error). Writers keep the low bits of the value, as DataView.setUint32 does; a layer
// that must reject out-of-range values (mp4/box.ts) checks before it writes. 64-bit values are
// JS numbers, exact up to 2^53.

export function readU16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function readU24(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 16) | ((bytes[offset + 1] ?? 0) << 8) | (bytes[offset + 2] ?? 0);
}

/** Two's complement 24-bit (FLV CompositionTime, SI24). */
export function readI24(bytes: Uint8Array, offset: number): number {
  const value = readU24(bytes, offset);
  return value & 0x800000 ? value - 0x1000000 : value;
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return readI32(bytes, offset) >>> 0;
}

export function readI32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
}

export function readU64(bytes: Uint8Array, offset: number): number {
  return readU32(bytes, offset) * 0x1_0000_0000 + readU32(bytes, offset + 4);
}

export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
}

export function writeU24(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 16) & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = value & 0xff;
}

/** Two's complement 24-bit: -1 is ff ff ff. */
export const writeI24: (bytes: Uint8Array, offset: number, value: number) => void = writeU24;

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

/** Two's complement 32-bit: -2 is ff ff ff fe. */
export const writeI32: (bytes: Uint8Array, offset: number, value: number) => void = writeU32;

export function writeU64(bytes: Uint8Array, offset: number, value: number): void {
  const high = Math.floor(value / 0x1_0000_0000);
  writeU32(bytes, offset, high);
  writeU32(bytes, offset + 4, value - high * 0x1_0000_0000);
}

export function encodeU16(value: number): Uint8Array {
  const out = new Uint8Array(2);
  writeU16(out, 0, value);
  return out;
}

export function encodeU24(value: number): Uint8Array {
  const out = new Uint8Array(3);
  writeU24(out, 0, value);
  return out;
}

export function encodeU32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  writeU32(out, 0, value);
  return out;
}

export function encodeU64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  writeU64(out, 0, value);
  return out;
}
