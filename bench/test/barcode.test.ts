import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barcodeBits, cellSize, decodeBarcodeBits, frameWidth, renderBackground, renderFrame } from '../lib/glass/barcode.js';

describe('glass barcode', () => {
  const values = [0, 1, 1_790_000_000_123, 2 ** 44 - 1];
  for (const value of values) {
    it(`round-trips ${value}`, () => assert.equal(decodeBarcodeBits(barcodeBits(value)), value));
  }

  it('rejects a single flipped bit anywhere in the value or check', () => {
    const bits = barcodeBits(1_790_000_000_123);
    for (let i = 0; i < 60; i++) {
      const flipped = [...bits];
      flipped[i] = 1 - (flipped[i] ?? 0);
      assert.equal(decodeBarcodeBits(flipped), undefined, `bit ${i}`);
    }
  });

  it('paints the bits as cells of the luma plane (what page.html samples)', () => {
    const value = 1_790_000_000_456;
    const frame = renderFrame(7, value, renderBackground());
    const read = Array.from({ length: 64 }, (_, i) => {
      const x = (i % 32) * cellSize + cellSize / 2;
      const y = Math.floor(i / 32) * cellSize + cellSize / 2;
      return (frame[y * frameWidth + x] ?? 0) > 128 ? 1 : 0;
    });
    assert.equal(decodeBarcodeBits(read), value);
  });
});
