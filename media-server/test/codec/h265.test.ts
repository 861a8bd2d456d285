// hvcC from records.ts (libx265 output).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodecError } from '../../src/codec/bit-reader.js';
import { decodeHvcC, h265VideoInfo } from '../../src/codec/h265.js';
import { hvcC640x360 } from './records.js';


describe('h265 hvcC and SPS', () => {
  it('640x360 Main, level 2.1: codec string per ISO/IEC 14496-15 E.3', () => {
    const bytes = Buffer.from(hvcC640x360, 'hex');
    assert.deepEqual(h265VideoInfo(bytes), { codec: 'hvc1.1.6.L63.90', width: 640, height: 360 });
    const config = decodeHvcC(bytes);
    assert.equal(config.nalLengthSize, 4);
    assert.deepEqual([...config.arrays.keys()], [32, 33, 34]);
  });

  it('rejects truncated records', () => {
    const bytes = Buffer.from(hvcC640x360, 'hex');
    for (const length of [0, 10, 22, 30, 60]) assert.throws(() => h265VideoInfo(bytes.subarray(0, length)), CodecError);
  });
});
