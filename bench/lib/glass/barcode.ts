// The machine-readable capture clock burned into every published frame, so the page can read the
// exact capture time back from the decoded picture.
//
// Layout (luma only; 640x360 frame): two rows of 32 cells, each cell 20x20 px, starting at (0,0).
// 64 bits, MSB first, row by row: 44 bits epoch milliseconds | 16 bits check | 4 bits 1010.
// check = (bits 0-15 XOR bits 16-31 XOR bits 32-43) of the value, so a misread is rejected.
// A cell is white (Y=235) for 1 and black (Y=16) for 0. page.html decodes the same layout.

export const frameWidth = 640;
export const frameHeight = 360;
export const cellSize = 20;
export const cellsPerRow = 32;
const valueBits = 44;

export function checkOf(value: number): number {
  const lo = value % 0x10000;
  const mid = Math.floor(value / 0x10000) % 0x10000;
  const hi = Math.floor(value / 0x100000000) % 0x1000;
  return (lo ^ mid ^ hi) & 0xffff;
}

/** The 64 bits for `epochMs`, MSB first. */
export function barcodeBits(epochMs: number): number[] {
  const value = Math.round(epochMs);
  const bits: number[] = [];
  for (let i = valueBits - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) % 2);
  const check = checkOf(value);
  for (let i = 15; i >= 0; i--) bits.push((check >> i) & 1);
  bits.push(1, 0, 1, 0);
  return bits;
}

/** Inverse of barcodeBits; undefined if the check or the trailer does not match. */
export function decodeBarcodeBits(bits: readonly number[]): number | undefined {
  if (bits.length !== 64) return undefined;
  let value = 0;
  for (let i = 0; i < valueBits; i++) value = value * 2 + (bits[i] ?? 0);
  let check = 0;
  for (let i = valueBits; i < valueBits + 16; i++) check = (check << 1) | (bits[i] ?? 0);
  const trailer = bits.slice(60).join('');
  return trailer === '1010' && check === checkOf(value) ? value : undefined;
}

/**
 * A yuv420p frame: a static gradient, a box that moves every frame (so the encoder has real
 * motion), and the barcode for `epochMs` on top.
 */
export function renderFrame(frameIndex: number, epochMs: number, background: Uint8Array): Uint8Array {
  const ySize = frameWidth * frameHeight;
  const frame = new Uint8Array(ySize * 1.5);
  frame.set(background);
  const boxX = (frameIndex * 8) % (frameWidth - 80);
  for (let y = 200; y < 280; y++) frame.fill(235, y * frameWidth + boxX, y * frameWidth + boxX + 80);
  barcodeBits(epochMs).forEach((bit, i) => {
    const x0 = (i % cellsPerRow) * cellSize;
    const y0 = Math.floor(i / cellsPerRow) * cellSize;
    for (let y = y0; y < y0 + cellSize; y++) frame.fill(bit ? 235 : 16, y * frameWidth + x0, y * frameWidth + x0 + cellSize);
  });
  return frame;
}

/** Gradient luma with neutral chroma, computed once. */
export function renderBackground(): Uint8Array {
  const ySize = frameWidth * frameHeight;
  const frame = new Uint8Array(ySize * 1.5);
  for (let y = 0; y < frameHeight; y++) for (let x = 0; x < frameWidth; x++) frame[y * frameWidth + x] = 40 + ((x + y) % 160);
  frame.fill(128, ySize);
  return frame;
}
