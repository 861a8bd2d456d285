// Property tests (fast-check) for AMF0: random bytes and mutated real command payloads decode
// or throw ParseError; a successful decode re-encodes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeAmf0, encodeAmf0 } from '../../src/amf/amf0.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { mutate, mutation, parseErrorOr } from '../bytes/fuzz-input.js';
import { loadCapture, splitCapture } from '../helpers/captures.js';

const ffmpeg = loadCapture('ffmpeg-publish');

describe('amf0 under random and mutated input', () => {
  it('AMF0: random bytes decode or throw ParseError; decoded values survive encode/decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        const values = parseErrorOr(() => decodeAmf0(bytes));
        if (values) assert.deepEqual(decodeAmf0(encodeAmf0(values)), values);
      }),
      { numRuns: 3000 },
    );
  });

  it('AMF0: mutated captured command payloads decode or throw ParseError', () => {
    const payloads = new ChunkReader().push(splitCapture(ffmpeg).chunks).filter((m) => m.typeId === 20 || m.typeId === 18).map((m) => m.payload);
    fc.assert(
      fc.property(fc.constantFrom(...payloads), fc.array(mutation, { minLength: 1, maxLength: 4 }), (payload, mutations) => {
        const values = parseErrorOr(() => decodeAmf0(mutate(payload, mutations)));
        if (values) encodeAmf0(values);
      }),
      { numRuns: 2000 },
    );
  });
});
