// Property tests (fast-check) for the FLV payloads: random bytes decode or throw ParseError, and
// what decodes re-encodes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeAudioTag, encodeAudioTag } from '../../src/flv/audio-tag.js';
import { decodeFlvTags, encodeFlvTags } from '../../src/flv/tag.js';
import { decodeVideoTag, encodeVideoTag } from '../../src/flv/video-tag.js';
import { parseErrorOr } from '../bytes/fuzz-input.js';

describe('flv under random input', () => {
  it('FLV video and audio tags: random payloads decode or throw ParseError, and re-encode to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const video = parseErrorOr(() => decodeVideoTag(bytes));
        if (video) assert.deepEqual(Buffer.from(encodeVideoTag(video)), Buffer.from(bytes));
        const audio = parseErrorOr(() => decodeAudioTag(bytes));
        if (audio) assert.deepEqual(Buffer.from(encodeAudioTag(audio)), Buffer.from(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('FLV tag runs (Aggregate payloads): random bytes decode or throw ParseError, and re-encode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), (bytes) => {
        const tags = parseErrorOr(() => decodeFlvTags(bytes));
        if (tags) assert.deepEqual(decodeFlvTags(encodeFlvTags(tags)).length, tags.length);
      }),
      { numRuns: 3000 },
    );
  });
});
