import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  encodeU16,
  encodeU24,
  encodeU32,
  encodeU64,
  readI24,
  readI32,
  readU16,
  readU24,
  readU32,
  readU64,
  writeI24,
  writeI32,
  writeU16,
  writeU24,
  writeU32,
  writeU64,
} from '../../src/bytes/big-endian.js';
import { hex } from '../helpers/captures.js';

type Read = (bytes: Uint8Array, offset: number) => number;
type Write = (bytes: Uint8Array, offset: number, value: number) => void;

const widths: Record<string, { read: Read; write: Write; length: number; min: number; max: number }> = {
  u16: { read: readU16, write: writeU16, length: 2, min: 0, max: 0xffff },
  u24: { read: readU24, write: writeU24, length: 3, min: 0, max: 0xffffff },
  i24: { read: readI24, write: writeI24, length: 3, min: -0x800000, max: 0x7fffff },
  u32: { read: readU32, write: writeU32, length: 4, min: 0, max: 0xffffffff },
  i32: { read: readI32, write: writeI32, length: 4, min: -0x80000000, max: 0x7fffffff },
  u64: { read: readU64, write: writeU64, length: 8, min: 0, max: Number.MAX_SAFE_INTEGER },
};

// One table drives decode and encode; the field each row comes from is named.
const cases: Array<{ name: string; width: keyof typeof widths; bytes: Uint8Array; value: number }> = [
  { name: 'u16 UserControl event StreamBegin', width: 'u16', bytes: hex('0000'), value: 0 },
  { name: 'u16 AMF0 string length', width: 'u16', bytes: hex('1234'), value: 0x1234 },
  { name: 'u16 largest', width: 'u16', bytes: hex('ffff'), value: 0xffff },
  { name: 'u24 chunk header message length', width: 'u24', bytes: hex('000a2f'), value: 2607 },
  { name: 'u24 extended timestamp marker', width: 'u24', bytes: hex('ffffff'), value: 0xffffff },
  { name: 'i24 CompositionTime 0', width: 'i24', bytes: hex('000000'), value: 0 },
  { name: 'i24 CompositionTime +67 ms', width: 'i24', bytes: hex('000043'), value: 67 },
  { name: 'i24 CompositionTime -1 ms', width: 'i24', bytes: hex('ffffff'), value: -1 },
  { name: 'i24 smallest', width: 'i24', bytes: hex('800000'), value: -0x800000 },
  { name: 'u32 WindowAckSize 2500000', width: 'u32', bytes: hex('002625a0'), value: 2_500_000 },
  { name: 'u32 with the top bit set', width: 'u32', bytes: hex('deadbeef'), value: 0xdeadbeef },
  { name: 'i32 trun composition offset -2', width: 'i32', bytes: hex('fffffffe'), value: -2 },
  { name: 'i32 largest', width: 'i32', bytes: hex('7fffffff'), value: 0x7fffffff },
  { name: 'u64 tfdt past 2^32', width: 'u64', bytes: hex('0000000100000005'), value: 2 ** 32 + 5 },
  { name: 'u64 largest exact', width: 'u64', bytes: hex('001fffffffffffff'), value: Number.MAX_SAFE_INTEGER },
];

describe('big-endian integers', () => {
  for (const { name, width, bytes, value } of cases) {
    const { read, write, length } = widths[width]!;
    it(`${name}: decode`, () => {
      assert.equal(read(bytes, 0), value);
      // At an offset inside a larger buffer too.
      const padded = new Uint8Array(length + 3);
      padded.set(bytes, 2);
      assert.equal(read(padded, 2), value);
    });
    it(`${name}: encode`, () => {
      const out = new Uint8Array(length + 2).fill(0xaa);
      write(out, 1, value);
      assert.deepEqual([...out.subarray(1, 1 + length)], [...bytes]);
      assert.equal(out[0], 0xaa, 'nothing written before the field');
      assert.equal(out[length + 1], 0xaa, 'nothing written after the field');
    });
  }

  it('encodeU* allocate exactly the field', () => {
    assert.deepEqual([...encodeU16(0x1234)], [0x12, 0x34]);
    assert.deepEqual([...encodeU24(0x123456)], [0x12, 0x34, 0x56]);
    assert.deepEqual([...encodeU32(0xdeadbeef)], [0xde, 0xad, 0xbe, 0xef]);
    assert.deepEqual([...encodeU64(2 ** 32 + 5)], [0, 0, 0, 1, 0, 0, 0, 5]);
  });

  it('writers keep the low bits, as DataView does', () => {
    const ours = new Uint8Array(4);
    const theirs = new Uint8Array(4);
    for (const value of [2 ** 32 + 7, -1, 0x1_0000_0000 - 1]) {
      writeU32(ours, 0, value);
      new DataView(theirs.buffer).setUint32(0, value);
      assert.deepEqual(ours, theirs, String(value));
    }
  });

  for (const [name, { read, write, length, min, max }] of Object.entries(widths)) {
    it(`${name}: every value in range round-trips and matches DataView where it has one`, () => {
      fc.assert(
        fc.property(fc.integer({ min, max }), (value) => {
          const bytes = new Uint8Array(length);
          write(bytes, 0, value);
          assert.equal(read(bytes, 0), value);
          const view = new DataView(bytes.buffer);
          if (name === 'u16') assert.equal(view.getUint16(0), value);
          if (name === 'u32') assert.equal(view.getUint32(0), value);
          if (name === 'i32') assert.equal(view.getInt32(0), value);
          if (name === 'u64') assert.equal(view.getBigUint64(0), BigInt(value));
        }),
        { numRuns: 500 },
      );
    });
  }
});
