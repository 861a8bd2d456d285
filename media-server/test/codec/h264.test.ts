// Records captured from ffmpeg 5.1 / libx264 output:
//   320x240 Main: ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -c:v libx264 -preset ultrafast -f flv (AVC sequence header)
//   1920x1080 Constrained Baseline (1088 coded rows, cropped): ... -profile:v high -preset ultrafast out.mp4 (moov/.../avc1/avcC)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodecError } from '../../src/codec/bit-reader.js';
import { decodeAvcC, h264VideoInfo } from '../../src/codec/h264.js';
import { avcC1920x1080 } from './records.js';

const cases = [
  {
    name: '1920x1080 with frame cropping',
    record: avcC1920x1080,
    value: { codec: 'avc1.42c028', width: 1920, height: 1080 },
    nalLengthSize: 4,
  },
];

describe('h264 avcC and SPS', () => {
  for (const { name, record, value, nalLengthSize } of cases) {
    it(name, () => {
      const bytes = Buffer.from(record, 'hex');
      assert.deepEqual(h264VideoInfo(bytes), value);
      const config = decodeAvcC(bytes);
      assert.equal(config.nalLengthSize, nalLengthSize);
      assert.equal(config.sps.length, 1);
      assert.equal(config.pps.length, 1);
    });
  }

  it('rejects short and wrong-version records with CodecError', () => {
    assert.throws(() => decodeAvcC(Uint8Array.of(1, 0x42)), (error: unknown) => error instanceof CodecError && error.code === 'buffer-too-short');
    assert.throws(() => decodeAvcC(Uint8Array.of(2, 0x42, 0, 0x1e, 0xff, 0xe1, 0)), (error: unknown) => error instanceof CodecError && error.code === 'invalid-record');
    // SPS length pointing past the end
    assert.throws(() => decodeAvcC(Buffer.from('0142c028ffe10019674200', 'hex')), CodecError);
  });

  it('never reads past the end of random records', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 40) }, (_, j) => (i * 31 + j * 17 + (j === 0 ? 1 : 0)) & 0xff);
      if (i % 2 === 0) bytes[0] = 1;
      try {
        h264VideoInfo(bytes);
      } catch (error) {
        assert.ok(error instanceof CodecError, `unexpected ${String(error)}`);
      }
    }
  });
});
