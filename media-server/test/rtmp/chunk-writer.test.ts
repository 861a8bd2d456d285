import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { assertBytes, hex, sameBytes } from '../helpers/captures.js';

describe('chunk writer', () => {
  it('writes a small message as one type 0 chunk', () => {
    const bytes = new ChunkWriter().write({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: hex('00001000') });
    assertBytes(bytes, hex('02 000000 000004 01 00000000 00001000'));
  });

  it('splits at the chunk size with type 3 continuation headers', () => {
    const writer = new ChunkWriter();
    const payload = new Uint8Array(300).fill(1);
    const bytes = writer.write({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload });
    assert.equal(bytes.length, 12 + 300 + 2);
    assert.equal(bytes[12 + 128], 0xc3);
    assert.equal(bytes[12 + 128 + 1 + 128], 0xc3);
  });

  for (const chunkSize of [1, 128, 4096, 65536]) {
    for (const timestamp of [0, 40, 0xffffff, 0xffffffff]) {
      it(`round-trips through the reader at chunk size ${chunkSize}, timestamp ${timestamp}`, () => {
        const writer = new ChunkWriter();
        writer.setChunkSize(chunkSize);
        const reader = new ChunkReader();
        reader.push(new ChunkWriter().write({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: hex(chunkSize.toString(16).padStart(8, '0')) }));
        const payload = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
        const [message] = reader.push(writer.write({ chunkStreamId: 70, typeId: 9, streamId: 1, timestamp, payload }));
        assert.deepEqual({ ...message, payload: undefined }, { chunkStreamId: 70, typeId: 9, streamId: 1, timestamp, payload: undefined });
        assert.ok(sameBytes(message?.payload, payload));
      });
    }
  }
});
