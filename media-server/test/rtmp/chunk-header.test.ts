import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkFormat, decodeChunkHeader, encodeChunkHeader, type ChunkHeader } from '../../src/rtmp/chunk-header.js';
import { assertBytes, hex } from '../helpers/captures.js';

const cases: Array<{ name: string; bytes: Uint8Array; value: ChunkHeader; extendedFmt3?: boolean }> = [
  {
    // The first chunk ffmpeg sends after the handshake (test/fixtures/ffmpeg-publish.bin, offset 3073).
    name: 'type 0, csid 3: ffmpeg connect',
    bytes: hex('03 000000 00008c 14 00000000'),
    value: { format: ChunkFormat.Full, chunkStreamId: 3, timestamp: 0, messageLength: 140, messageTypeId: 20, messageStreamId: 0, extendedTimestamp: false },
  },
  {
    name: 'type 0 with a little-endian message stream id',
    bytes: hex('08 000000 000032 14 01000000'),
    value: { format: ChunkFormat.Full, chunkStreamId: 8, timestamp: 0, messageLength: 50, messageTypeId: 20, messageStreamId: 1, extendedTimestamp: false },
  },
  {
    name: 'type 1, csid 6',
    bytes: hex('46 000064 000a2f 09'),
    value: { format: ChunkFormat.SameStream, chunkStreamId: 6, timestamp: 100, messageLength: 2607, messageTypeId: 9, extendedTimestamp: false },
  },
  { name: 'type 2', bytes: hex('84 000017'), value: { format: ChunkFormat.TimestampDelta, chunkStreamId: 4, timestamp: 23, extendedTimestamp: false } },
  { name: 'type 3', bytes: hex('c6'), value: { format: ChunkFormat.Continuation, chunkStreamId: 6, extendedTimestamp: false } },
  {
    name: 'two-byte basic header (csid 64..319)',
    bytes: hex('00 00 000000 000004 01 00000000'),
    value: { format: ChunkFormat.Full, chunkStreamId: 64, timestamp: 0, messageLength: 4, messageTypeId: 1, messageStreamId: 0, extendedTimestamp: false },
  },
  {
    name: 'three-byte basic header (csid 320..65599), little endian',
    bytes: hex('c1 00 01'),
    value: { format: ChunkFormat.Continuation, chunkStreamId: 320, extendedTimestamp: false },
  },
  {
    name: 'type 0 with extended timestamp',
    bytes: hex('04 ffffff 000007 08 01000000 01000000'),
    value: { format: ChunkFormat.Full, chunkStreamId: 4, timestamp: 0x01000000, messageLength: 7, messageTypeId: 8, messageStreamId: 1, extendedTimestamp: true },
  },
  {
    name: 'type 3 repeating the extended timestamp',
    bytes: hex('c4 01000000'),
    value: { format: ChunkFormat.Continuation, chunkStreamId: 4, timestamp: 0x01000000, extendedTimestamp: true },
    extendedFmt3: true,
  },
];

describe('chunk header', () => {
  for (const { name, bytes, value, extendedFmt3 = false } of cases) {
    it(`decodes ${name}`, () => {
      const decoded = decodeChunkHeader(bytes, 0, () => (extendedFmt3 ? 0x01000000 : null));
      assert.ok(decoded);
      assert.equal(decoded.length, bytes.length);
      const expected = { timestamp: undefined, messageLength: undefined, messageTypeId: undefined, messageStreamId: undefined, ...value };
      assert.deepEqual(decoded.header, expected);
    });
    it(`encodes ${name}`, () => {
      assertBytes(encodeChunkHeader(value), bytes);
    });
    it(`asks for more bytes on every truncation of ${name}`, () => {
      for (let n = 0; n < bytes.length; n++) assert.equal(decodeChunkHeader(bytes.subarray(0, n), 0, () => (extendedFmt3 ? 0x01000000 : null)), null);
    });
  }

  it('leaves a type 3 header without the repeated extended timestamp some encoders omit', () => {
    const decoded = decodeChunkHeader(hex('c4 aabbccdd'), 0, () => 0x01000000);
    assert.deepEqual(decoded?.length, 1);
    assert.equal(decoded?.header.extendedTimestamp, false);
  });

  it('refuses to encode chunk stream ids 0 and 1 (they select the header size)', () => {
    assert.throws(() => encodeChunkHeader({ format: ChunkFormat.Continuation, chunkStreamId: 1, extendedTimestamp: false }));
  });
});
