import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ServerHandshake,
  computeDigest,
  decodeC0C1,
  digestOffset,
  encodeS0S1S2,
  flashMediaServerKey,
  flashPlayerKey,
  handshakeSize,
} from '../../src/rtmp/handshake.js';
import { ParseError } from '../../src/bytes/parse-error.js';
import { createHmac } from 'node:crypto';
import { loadCapture, sameBytes, splitCapture } from '../helpers/captures.js';

const fixedRandom = (n: number) => new Uint8Array(n).fill(0x5a);

function plainC0C1(): Uint8Array {
  const bytes = new Uint8Array(1 + handshakeSize);
  bytes[0] = 3;
  for (let i = 9; i < bytes.length; i++) bytes[i] = i & 0xff;
  return bytes;
}

describe('handshake', () => {
  it('finds the scheme-0 client digest in the C1 ffmpeg really sent', () => {
    const { c0c1 } = splitCapture(loadCapture('ffmpeg-publish'));
    const c1 = decodeC0C1(c0c1);
    assert.equal(c1.version, 0x09007c02); // Flash Player 9.0.124.2, as ffmpeg announces
    assert.equal(c1.digest?.scheme, 0);
  });

  it('treats GStreamer rtmp2sink C1 as it is (plain or digest) and answers 3073 bytes', () => {
    const { c0c1 } = splitCapture(loadCapture('gstreamer-publish'));
    const out = encodeS0S1S2(decodeC0C1(c0c1), fixedRandom);
    assert.equal(out.length, 1 + 2 * handshakeSize);
    assert.equal(out[0], 3);
  });

  it('answers a plain C1 with S2 = echo of C1', () => {
    const c0c1 = plainC0C1();
    const c1 = decodeC0C1(c0c1);
    assert.equal(c1.digest, null);
    const out = encodeS0S1S2(c1, fixedRandom);
    assert.ok(sameBytes(out.subarray(1 + handshakeSize), c0c1.subarray(1)));
    assert.deepEqual(out.subarray(1, 9), new Uint8Array(8)); // time 0, zero field
  });

  for (const scheme of [0, 1] as const) {
    it(`answers a scheme-${scheme} digest C1 with an S1 and S2 a Flash client verifies`, () => {
      const c0c1 = plainC0C1();
      const c1block = c0c1.subarray(1);
      new DataView(c1block.buffer, c1block.byteOffset).setUint32(4, 0x80000702);
      // Force the other scheme's offset to be wrong by computing the digest only at `scheme`.
      const offset = digestOffset(c1block, scheme);
      c1block.set(computeDigest(c1block, offset, flashPlayerKey.subarray(0, 30)), offset);
      const c1 = decodeC0C1(c0c1);
      assert.equal(c1.digest?.scheme, scheme);
      const out = encodeS0S1S2(c1, fixedRandom);
      const s1 = out.subarray(1, 1 + handshakeSize);
      const s2 = out.subarray(1 + handshakeSize);
      const s1Offset = digestOffset(s1, scheme);
      assert.ok(sameBytes(s1.subarray(s1Offset, s1Offset + 32), computeDigest(s1, s1Offset, flashMediaServerKey.subarray(0, 36))));
      const key = createHmac('sha256', flashMediaServerKey).update(c1block.subarray(offset, offset + 32)).digest();
      const signature = createHmac('sha256', key).update(s2.subarray(0, handshakeSize - 32)).digest();
      assert.ok(sameBytes(s2.subarray(handshakeSize - 32), signature));
    });
  }

  it('falls back to the plain answer when a non-zero version comes without a valid digest', () => {
    const c0c1 = plainC0C1();
    c0c1[5] = 9;
    assert.equal(decodeC0C1(c0c1).digest, null);
  });

  it('rejects RTMP versions other than 3 from the first byte', () => {
    const hs = new ServerHandshake(fixedRandom);
    assert.throws(() => hs.push(Uint8Array.of(6)), (e: unknown) => e instanceof ParseError && e.code === 'invalid-version');
  });

  it('runs as a push state machine over arbitrary splits, handing over the bytes after C2', () => {
    const capture = loadCapture('ffmpeg-publish');
    const hs = new ServerHandshake(fixedRandom);
    const sent: Uint8Array[] = [];
    let rest: Uint8Array = new Uint8Array(0);
    for (let at = 0; at < 3073 + 10; at += 10) {
      const step = hs.push(capture.subarray(at, at + 10));
      if (step.send) sent.push(step.send);
      if (step.done) {
        rest = step.rest;
        break;
      }
    }
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.length, 3073);
    assert.ok(hs.done);
    // Pieces of 10 end at byte 3080: the 7 bytes after C2 come back as `rest`.
    assert.ok(sameBytes(rest, capture.subarray(3073, 3080)));
  });
});
