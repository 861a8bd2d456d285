import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { box, findBox, fullBox, i32, listBoxes, Mp4Error, u16, u32, u64 } from '../../src/mp4/box.js';

const cases = [
  { name: 'empty box', bytes: '00000008667265650000', build: () => box('free'), trim: 8 },
  { name: 'box with payload', bytes: '0000000a667265650102', build: () => box('free', Uint8Array.of(1, 2)), trim: 10 },
  { name: 'full box', bytes: '0000000c6d66686401000002', build: () => fullBox('mfhd', 1, 2), trim: 12 },
];

describe('mp4 box writer and reader', () => {
  for (const { name, bytes, build, trim } of cases) {
    it(name, () => {
      const expected = Buffer.from(bytes, 'hex').subarray(0, trim);
      const built = build();
      assert.deepEqual(Buffer.from(built), expected);
      const [read] = listBoxes(built);
      assert.equal(read?.type, Buffer.from(expected.subarray(4, 8)).toString('latin1'));
      assert.equal(read?.size, trim);
    });
  }

  it('integer helpers are big-endian and range-checked', () => {
    assert.deepEqual([...u16(0x1234)], [0x12, 0x34]);
    assert.deepEqual([...u32(0xdeadbeef)], [0xde, 0xad, 0xbe, 0xef]);
    assert.deepEqual([...i32(-2)], [0xff, 0xff, 0xff, 0xfe]);
    assert.deepEqual([...u64(2 ** 32 + 5)], [0, 0, 0, 1, 0, 0, 0, 5]);
    assert.throws(() => u16(0x10000), Mp4Error);
    assert.throws(() => u32(-1), Mp4Error);
    assert.throws(() => box('toolong'), Mp4Error);
  });

  it('findBox walks nested paths and returns every match', () => {
    const tree = box('moof', box('mfhd', Uint8Array.of(9)), box('traf', box('tfhd')), box('traf', box('tfhd'), box('trun')));
    assert.equal(findBox(tree, ['moof', 'traf']).length, 2);
    assert.equal(findBox(tree, ['moof', 'traf', 'tfhd']).length, 2);
    assert.equal(findBox(tree, ['moof', 'traf', 'trun']).length, 1);
    assert.deepEqual([...findBox(tree, ['moof', 'mfhd'])[0]!.payload], [9]);
    assert.deepEqual(findBox(tree, ['moov']), []);
  });

  it('rejects sizes that do not fit', () => {
    assert.throws(() => listBoxes(Buffer.from('00000010667265650000', 'hex')), (error: unknown) => error instanceof Mp4Error && error.code === 'invalid-box-size');
    assert.throws(() => listBoxes(Buffer.from('00000004667265650000', 'hex')), Mp4Error);
    assert.throws(() => listBoxes(Uint8Array.of(0, 0)), Mp4Error);
  });
});
