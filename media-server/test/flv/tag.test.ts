import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlvTagType, decodeFlvTags, encodeFlvTags, type FlvTag } from '../../src/flv/tag.js';
import { ParseError } from '../../src/bytes/parse-error.js';
import { assertBytes, hex } from '../helpers/captures.js';

const cases: Array<{ name: string; bytes: Uint8Array; value: FlvTag[] }> = [
  {
    name: 'an audio tag then a video tag',
    bytes: hex('08 000002 000064 00 000000 af01 0000000d  09 000005 000085 00 000000 2701000000 00000010'),
    value: [
      { tagType: FlvTagType.Audio, timestamp: 100, data: hex('af01') },
      { tagType: FlvTagType.Video, timestamp: 133, data: hex('2701000000') },
    ],
  },
  {
    name: 'a tag with TimestampExtended (upper 8 bits)',
    bytes: hex('09 000001 000000 01 000000 17 0000000c'),
    value: [{ tagType: FlvTagType.Video, timestamp: 0x01000000, data: hex('17') }],
  },
];

const normalise = (tags: FlvTag[]) => tags.map((t) => ({ ...t, data: Buffer.from(t.data).toString('hex') }));

describe('flv tags (aggregate payload)', () => {
  for (const { name, bytes, value } of cases) {
    it(`decodes ${name}`, () => assert.deepEqual(normalise(decodeFlvTags(bytes)), normalise(value)));
    it(`encodes ${name}`, () => assertBytes(encodeFlvTags(value), bytes));
  }

  it('rejects a tag whose size runs past the payload, and a cut header', () => {
    for (const bytes of [hex('08 0000ff 000000 00 000000 af01 00000000'), hex('08 000002 0000')]) {
      assert.throws(() => decodeFlvTags(bytes), ParseError);
    }
  });
});
