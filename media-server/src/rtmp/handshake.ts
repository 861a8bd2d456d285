// RTMP handshake, server side (Adobe RTMP spec 1.0, section 5.2): C0+C1 in, S0+S1+S2 out, C2 in.
// Two flavours of C1 exist in the wild:
//  - plain (spec): time(4) zero(4) random(1528); the answer is S2 = an echo of C1;
//  - digest ("Flash Player 9" handshake, sent by FMLE, ffmpeg, OBS/librtmp): bytes 4..7 carry a
//    non-zero version and C1 embeds an HMAC-SHA256 digest keyed with "Genuine Adobe Flash Player
//    001" at an offset derived from 4 bytes at 8 (scheme 0) or 772 (scheme 1). The server answers
//    with S1 digested with the FMS key and S2 = random + HMAC(HMAC(FMS key full, C1 digest), S2).
// Clients that check the server digest (players) need the second form; publishers accept both.
import { createHmac, randomBytes } from 'node:crypto';
import { readU32, writeU32 } from '../bytes/big-endian.js';
import { ParseError } from '../bytes/parse-error.js';

export const rtmpVersion = 3;
export const handshakeSize = 1536;
const digestLength = 32;

const keyTail = Uint8Array.from([
  0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68, 0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57, 0x6e, 0xec, 0x5d, 0x2d, 0x29, 0x80,
  0x6f, 0xab, 0x93, 0xb8, 0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae,
]);
const concat = (a: Uint8Array, b: Uint8Array) => Buffer.concat([a, b]);
/** "Genuine Adobe Flash Player 001" + 32 constant bytes; the first 30 bytes key C1's digest. */
export const flashPlayerKey = concat(Buffer.from('Genuine Adobe Flash Player 001', 'latin1'), keyTail);
/** "Genuine Adobe Flash Media Server 001" + 32 constant bytes; the first 36 bytes key S1's digest. */
export const flashMediaServerKey = concat(Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'), keyTail);

export type DigestScheme = 0 | 1;

export interface C1 {
  readonly time: number;
  /** Bytes 4..7: zero for a plain handshake, the client's version for the digest handshake. */
  readonly version: number;
  /** Where the valid client digest sits, or null for a plain C1 (or a digest that does not verify). */
  readonly digest: { readonly scheme: DigestScheme; readonly offset: number; readonly value: Uint8Array } | null;
  readonly bytes: Uint8Array;
}

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return h.digest();
}

export function digestOffset(block: Uint8Array, scheme: DigestScheme): number {
  const base = scheme === 0 ? 8 : 772;
  const sum = (block[base] ?? 0) + (block[base + 1] ?? 0) + (block[base + 2] ?? 0) + (block[base + 3] ?? 0);
  return (sum % 728) + base + 4;
}

/** HMAC-SHA256 over the 1536-byte block minus the 32 digest bytes at `offset`. */
export function computeDigest(block: Uint8Array, offset: number, key: Uint8Array): Uint8Array {
  return hmac(key, block.subarray(0, offset), block.subarray(offset + digestLength));
}

function findDigest(block: Uint8Array, key: Uint8Array): C1['digest'] {
  for (const scheme of [0, 1] as const) {
    const offset = digestOffset(block, scheme);
    const expected = computeDigest(block, offset, key);
    const actual = block.subarray(offset, offset + digestLength);
    if (Buffer.compare(expected, actual) === 0) return { scheme, offset, value: actual };
  }
  return null;
}

/** Decodes C0+C1 (1537 bytes). Throws on a wrong version or short input. */
export function decodeC0C1(bytes: Uint8Array): C1 {
  if (bytes.length < 1 + handshakeSize) {
    throw new ParseError('buffer-too-short', `handshake: C0+C1 needs ${1 + handshakeSize} bytes, have ${bytes.length}`);
  }
  const version = bytes[0];
  // "In C0, this field identifies the RTMP version requested by the client"; 3 is the only one in use.
  if (version !== rtmpVersion) throw new ParseError('invalid-version', `handshake: unsupported RTMP version ${version}`);
  const c1 = bytes.subarray(1, 1 + handshakeSize);
  const clientVersion = readU32(c1, 4);
  return {
    time: readU32(c1, 0),
    version: clientVersion,
    digest: clientVersion === 0 ? null : findDigest(c1, flashPlayerKey.subarray(0, 30)),
    bytes: c1,
  };
}

/** Builds S0+S1+S2 for a decoded C1. `random` is injectable so tests are deterministic. */
export function encodeS0S1S2(c1: C1, random: (n: number) => Uint8Array = randomBytes): Uint8Array {
  const out = new Uint8Array(1 + 2 * handshakeSize);
  out[0] = rtmpVersion;
  const s1 = out.subarray(1, 1 + handshakeSize);
  const s2 = out.subarray(1 + handshakeSize);
  s1.set(random(handshakeSize - 8), 8);
  writeU32(s1, 0, 0);
  if (!c1.digest) {
    writeU32(s1, 4, 0);
    s2.set(c1.bytes);
    return out;
  }
  // Digest handshake: S1 carries our digest at the client's scheme position.
  writeU32(s1, 4, 0x04050001);
  const s1Offset = digestOffset(s1, c1.digest.scheme);
  s1.set(computeDigest(s1, s1Offset, flashMediaServerKey.subarray(0, 36)), s1Offset);
  s2.set(random(handshakeSize - digestLength), 0);
  const key = hmac(flashMediaServerKey, c1.digest.value);
  s2.set(hmac(key, s2.subarray(0, handshakeSize - digestLength)), handshakeSize - digestLength);
  return out;
}

/**
 * The server side as a push-based state machine: feed received bytes, get bytes to send, and
 * once done the bytes that followed C2 (the first chunks), to hand to the chunk reader.
 */
export class ServerHandshake {
  private buffered: Uint8Array = new Uint8Array(0);
  private state: 'c0c1' | 'c2' | 'done' = 'c0c1';
  c1: C1 | null = null;

  constructor(private readonly random: (n: number) => Uint8Array = randomBytes) {}

  get done(): boolean {
    return this.state === 'done';
  }

  /** Bytes held until C0C1/C2 are complete. */
  get bufferedBytes(): number {
    return this.buffered.length;
  }

  push(bytes: Uint8Array): { send: Uint8Array | null; done: boolean; rest: Uint8Array } {
    if (this.state === 'done') return { send: null, done: true, rest: bytes };
    // At most 3073 bytes are ever held here, so joining is cheap.
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    let send: Uint8Array | null = null;
    if (this.state === 'c0c1') {
      if (this.buffered.length > 0 && this.buffered[0] !== rtmpVersion) {
        throw new ParseError('invalid-version', `handshake: unsupported RTMP version ${this.buffered[0]}`);
      }
      if (this.buffered.length < 1 + handshakeSize) return { send: null, done: false, rest: new Uint8Array(0) };
      this.c1 = decodeC0C1(this.buffered);
      send = encodeS0S1S2(this.c1, this.random);
      this.buffered = this.buffered.subarray(1 + handshakeSize);
      this.state = 'c2';
    }
    if (this.buffered.length < handshakeSize) return { send, done: false, rest: new Uint8Array(0) };
    // C2 echoes S1 (or carries the client's digest of it); publishers do not depend on our
    // checking it and several send it loosely, so it is consumed, not verified.
    const rest = this.buffered.subarray(handshakeSize);
    this.buffered = new Uint8Array(0);
    this.state = 'done';
    return { send, done: true, rest };
  }
}
