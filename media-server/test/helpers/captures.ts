// Loads the committed publish captures (see test/fixtures/README.md) and splits them into the
// handshake part and the chunk stream.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type CaptureName = 'ffmpeg-publish' | 'gstreamer-publish' | 'ffmpeg-play';

export function loadCapture(name: CaptureName): Buffer {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}.bin`, import.meta.url)));
}

/** C0+C1 (1537 bytes), C2 (1536 bytes) and the chunk stream that follows. */
export function splitCapture(bytes: Uint8Array): { c0c1: Uint8Array; c2: Uint8Array; chunks: Uint8Array } {
  return { c0c1: bytes.subarray(0, 1537), c2: bytes.subarray(1537, 3073), chunks: bytes.subarray(3073) };
}

export const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Byte-wise equality regardless of Buffer vs Uint8Array. */
export function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  return actual !== undefined && Buffer.compare(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength), Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)) === 0;
}

/** Asserts equal bytes, reporting the difference as hex. */
export function assertBytes(actual: Uint8Array | undefined, expected: Uint8Array, message?: string): void {
  const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  if (actual === undefined) throw new Error(message ?? 'expected bytes, got undefined');
  if (!sameBytes(actual, expected)) {
    throw new Error(`${message ?? 'bytes differ'}:\n  actual   ${toHex(actual).slice(0, 400)}\n  expected ${toHex(expected).slice(0, 400)}`);
  }
}
