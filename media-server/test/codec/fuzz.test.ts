// Property tests: random bytes either decode or throw the module's own error, never anything
// else (no RangeError, no reads past the end), and decoding a mutated real record never hangs.
// A counterexample they find becomes a named case in that parser's table test (test/README.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeAudioSpecificConfig } from '../../src/codec/aac.js';
import { av1VideoInfo } from '../../src/codec/av1.js';
import { CodecError } from '../../src/codec/bit-reader.js';
import { h264VideoInfo } from '../../src/codec/h264.js';
import { h265VideoInfo } from '../../src/codec/h265.js';
import { listBoxes, Mp4Error } from '../../src/mp4/box.js';
import { av1C320x240, avcC1920x1080, hvcC640x360 } from './records.js';

function decodesOrThrows(decode: (bytes: Uint8Array) => unknown, errorClass: typeof CodecError | typeof Mp4Error) {
  return (bytes: Uint8Array) => {
    try {
      decode(bytes);
    } catch (error) {
      assert.ok(error instanceof errorClass, `unexpected ${String(error)}`);
    }
  };
}

/** A real record with a few bytes overwritten at random positions. */
function mutated(hex: string) {
  const record = Buffer.from(hex, 'hex');
  return fc.array(fc.tuple(fc.nat(record.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }).map((edits) => {
    const copy = Uint8Array.from(record);
    for (const [at, value] of edits) copy[at] = value;
    return copy;
  });
}

const decoders = [
  { name: 'avcC + SPS', decode: h264VideoInfo, real: avcC1920x1080 },
  { name: 'hvcC + SPS', decode: h265VideoInfo, real: hvcC640x360 },
  { name: 'av1C + sequence header', decode: av1VideoInfo, real: av1C320x240 },
  { name: 'AudioSpecificConfig', decode: decodeAudioSpecificConfig, real: '1210' },
];

describe('codec parsers under random input', () => {
  for (const { name, decode, real } of decoders) {
    it(`${name}: random bytes decode or throw CodecError`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), decodesOrThrows(decode, CodecError)), { numRuns: 2000 });
    });
    it(`${name}: mutated real records decode or throw CodecError`, () => {
      fc.assert(fc.property(mutated(real), decodesOrThrows(decode, CodecError)), { numRuns: 2000 });
    });
  }

  it('mp4 box reader: random bytes list or throw Mp4Error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), decodesOrThrows(listBoxes, Mp4Error)), { numRuns: 2000 });
  });
});
