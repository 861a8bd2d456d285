// av1C captured from ffmpeg 5.1 / SVT-AV1 1.4 (`-f lavfi -i testsrc2=size=320x240 -c:v libsvtav1 -preset 12 out.mp4`,
// moov/.../av01/av1C): the record plus its sequence header OBU.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodecError } from '../../src/codec/bit-reader.js';
import { av1VideoInfo, decodeAv1C } from '../../src/codec/av1.js';
import { av1C320x240 } from './records.js';


describe('av1 av1C and sequence header', () => {
  it('320x240 Main profile 8-bit', () => {
    const bytes = Buffer.from(av1C320x240, 'hex');
    assert.deepEqual(av1VideoInfo(bytes), { codec: 'av01.0.00M.08', width: 320, height: 240 });
    assert.equal(decodeAv1C(bytes).bitDepth, 8);
  });

  it('10-bit high tier string', () => {
    assert.equal(av1VideoInfo(Buffer.from('8108c0000a0b000000043cffbc02f80040', 'hex')).codec, 'av01.0.08H.10');
  });

  it('rejects a wrong marker and a missing sequence header', () => {
    assert.throws(() => decodeAv1C(Uint8Array.of(0x01, 0, 0, 0)), CodecError);
    assert.throws(() => av1VideoInfo(Uint8Array.of(0x81, 0, 0x0c, 0)), CodecError);
  });
});
