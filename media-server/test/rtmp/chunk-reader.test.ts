import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkReader, defaultChunkReaderLimits, defaultPreAuthChunkReaderLimits } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import type { RtmpMessage } from '../../src/rtmp/messages.js';
import { ParseError } from '../../src/bytes/parse-error.js';
import { hex, loadCapture, sameBytes, splitCapture } from '../helpers/captures.js';

function readAll(bytes: Uint8Array, pieceSize: number): RtmpMessage[] {
  const reader = new ChunkReader();
  const out: RtmpMessage[] = [];
  for (let at = 0; at < bytes.length; at += pieceSize) out.push(...reader.push(bytes.subarray(at, at + pieceSize)));
  return out;
}

const summary = (m: RtmpMessage) => `${m.chunkStreamId}/${m.typeId}/${m.streamId}/${m.timestamp}/${m.payload.length}`;

describe('chunk reader', () => {
  for (const name of ['ffmpeg-publish', 'gstreamer-publish'] as const) {
    const { chunks } = splitCapture(loadCapture(name));
    it(`reassembles the ${name} capture identically in one push and in 1-, 7- and 1000-byte pieces`, () => {
      const whole = readAll(chunks, chunks.length);
      assert.ok(whole.length > 60);
      for (const size of [1, 7, 1000]) {
        const pieces = readAll(chunks, size);
        assert.deepEqual(pieces.map(summary), whole.map(summary));
        assert.deepEqual(pieces.map((m) => Buffer.from(m.payload).toString('hex')), whole.map((m) => Buffer.from(m.payload).toString('hex')));
      }
    });
  }

  it('reads the ffmpeg capture as connect, SetChunkSize 4096, commands, metadata, then media with increasing timestamps', () => {
    const messages = readAll(splitCapture(loadCapture('ffmpeg-publish')).chunks, 1 << 20);
    assert.deepEqual(messages.slice(0, 7).map((m) => m.typeId), [20, 1, 20, 20, 20, 20, 18]);
    const video = messages.filter((m) => m.typeId === 9);
    assert.equal(video.length, 12);
    assert.deepEqual(video.slice(0, 3).map((m) => m.timestamp), [0, 0, 100]);
    assert.ok(video.some((m) => m.payload.length > 4096), 'a keyframe spans several 4096-byte chunks');
  });

  it('applies SetChunkSize to the chunks that follow it in the same push', () => {
    const writer = new ChunkWriter();
    const setChunkSize = writer.write({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: hex('00000200') });
    writer.setChunkSize(512);
    const big = new Uint8Array(1500).map((_, i) => i & 0xff);
    const video = writer.write({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 40, payload: big });
    const reader = new ChunkReader();
    const messages = reader.push(Buffer.concat([setChunkSize, video]));
    assert.equal(messages.length, 2);
    assert.ok(sameBytes(messages[1]?.payload, big));
    assert.equal(reader.incomingChunkSize, 512);
  });

  it('follows type 1/2/3 timestamp deltas, including a type 3 that starts a new message', () => {
    const bytes = hex(`
      04 000000 000002 08 01000000 aa01
      84 000017 bb02
      c4 cc03
      44 000020 000001 08 dd`);
    const messages = new ChunkReader().push(bytes);
    assert.deepEqual(messages.map((m) => m.timestamp), [0, 23, 46, 78]);
    assert.deepEqual(messages.map((m) => m.streamId), [1, 1, 1, 1]);
  });

  it('reads extended timestamps on type 0 and on the type 3 continuation chunks', () => {
    const payload = new Uint8Array(200).fill(7);
    const writer = new ChunkWriter();
    const bytes = writer.write({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 0x1234_5678, payload });
    const [message] = new ChunkReader().push(bytes);
    assert.equal(message?.timestamp, 0x1234_5678);
    assert.ok(sameBytes(message?.payload, payload));
  });

  it('reads continuation chunks that omit the extended timestamp (nginx-rtmp publish_time_fix case)', () => {
    // A 200-byte message at the default 128-byte chunk size with timestamp 0x01000000; the type 3
    // continuation chunk has no 4-byte extended field.
    const payload = new Uint8Array(200).map((_, i) => (i * 3) & 0xff);
    const bytes = Buffer.concat([hex('06 ffffff 0000c8 09 01000000 01000000'), payload.subarray(0, 128), hex('c6'), payload.subarray(128)]);
    for (const piece of [1, 3, bytes.length]) {
      const reader = new ChunkReader();
      const messages: RtmpMessage[] = [];
      for (let at = 0; at < bytes.length; at += piece) messages.push(...reader.push(bytes.subarray(at, at + piece)));
      assert.equal(messages.length, 1);
      assert.equal(messages[0]?.timestamp, 0x01000000);
      assert.ok(sameBytes(messages[0]?.payload, payload));
    }
  });

  it('wraps timestamps at 2^32', () => {
    const bytes = hex(`04 ffffff 000001 08 01000000 fffffff0 aa  84 000020 bb`);
    const messages = new ChunkReader().push(bytes);
    assert.deepEqual(messages.map((m) => m.timestamp), [0xfffffff0, 0x10]);
  });

  it('drops a partial message on Abort and reads the next one', () => {
    const bytes = hex(`
      06 000000 000100 09 01000000 ${'11'.repeat(128)}
      02 000000 000004 02 00000000 00000006
      06 000000 000002 09 01000000 2222`);
    const messages = new ChunkReader().push(bytes);
    assert.deepEqual(messages.map((m) => m.typeId), [2, 9]);
    assert.ok(sameBytes(messages[1]?.payload, hex('2222')));
  });

  it('completes zero-length messages', () => {
    const messages = new ChunkReader().push(hex('06 000000 000000 09 01000000'));
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.payload.length, 0);
  });

  const hostile: Array<{ name: string; bytes: Uint8Array; code: ParseError['code'] }> = [
    { name: 'a message over the size limit', bytes: hex('06 000000 ffffff 09 01000000'), code: 'message-too-large' },
    { name: 'chunk size 0', bytes: hex('02 000000 000004 01 00000000 00000000'), code: 'chunk-size-out-of-range' },
    { name: 'chunk size 2^31-1', bytes: hex('02 000000 000004 01 00000000 7fffffff'), code: 'chunk-size-out-of-range' },
    { name: 'a type 1 header on an unknown chunk stream', bytes: hex('46 000000 000001 09 aa'), code: 'invalid-chunk-header' },
    { name: 'a new type 0 header in the middle of a message', bytes: hex(`06 000000 000100 09 01000000 ${'00'.repeat(128)} 06 000000 000001 09 01000000 aa`), code: 'invalid-chunk-header' },
    {
      name: 'too many chunk streams',
      bytes: Buffer.concat(Array.from({ length: 70 }, (_, i) => hex(`${(i + 3).toString(16).padStart(2, '0')} 000000 000001 08 01000000 aa`).subarray(0, i + 3 < 64 ? 13 : 0)).concat(
        Array.from({ length: 10 }, (_, i) => hex(`00 ${i.toString(16).padStart(2, '0')} 000000 000001 08 01000000 aa`)),
      )),
      code: 'too-many-chunk-streams',
    },
  ];
  for (const { name, bytes, code } of hostile) {
    it(`rejects ${name} with ${code}`, () => {
      assert.throws(() => new ChunkReader().push(bytes), (e: unknown) => e instanceof ParseError && e.code === code);
    });
  }

  it('bounds the memory promised to messages in progress', () => {
    const reader = new ChunkReader({ ...defaultChunkReaderLimits, maxMessageSize: 1000, maxPendingBytes: 1500 });
    reader.push(hex(`06 000000 0003e8 09 01000000 ${'00'.repeat(128)}`));
    assert.throws(() => reader.push(hex('07 000000 0003e8 09 01000000 00')), (e: unknown) => e instanceof ParseError && e.code === 'buffer-limit-exceeded');
  });

  /** A type 0 header declaring a message of `length` bytes on chunk stream `csid` (3..63), and its first chunk (128 bytes at most). */
  const declare = (csid: number, length: number, typeId = 20) =>
    Buffer.concat([
      hex(`${csid.toString(16).padStart(2, '0')} 000000 ${length.toString(16).padStart(6, '0')} ${typeId.toString(16).padStart(2, '0')} 00000000`),
      new Uint8Array(Math.min(128, length)),
    ]);

  const preAuthCases: Array<{ name: string; bytes: () => Uint8Array; code: ParseError['code'] | null; maxBuffered: number }> = [
    { name: 'a connect-sized command', bytes: () => declare(3, 600), code: null, maxBuffered: 600 },
    { name: 'a command of exactly the limit', bytes: () => declare(3, defaultPreAuthChunkReaderLimits.maxMessageSize), code: null, maxBuffered: 4096 },
    { name: 'a declared length one byte over the limit', bytes: () => declare(3, defaultPreAuthChunkReaderLimits.maxMessageSize + 1), code: 'message-too-large', maxBuffered: 0 },
    { name: 'a 16 MiB video claim', bytes: () => declare(6, 0xffffff, 9), code: 'message-too-large', maxBuffered: 0 },
    { name: 'four 4 KiB claims on separate chunk streams', bytes: () => Buffer.concat([3, 4, 5, 6].map((c) => declare(c, 4096))), code: null, maxBuffered: 16 << 10 },
    { name: 'five 4 KiB claims (over the pending total)', bytes: () => Buffer.concat([3, 4, 5, 6, 7].map((c) => declare(c, 4096))), code: 'buffer-limit-exceeded', maxBuffered: 16 << 10 },
    { name: 'nine chunk streams', bytes: () => Buffer.concat([3, 4, 5, 6, 7, 8, 9, 10, 11].map((c) => declare(c, 1))), code: 'too-many-chunk-streams', maxBuffered: 16 << 10 },
    { name: '29 large messages on separate chunk streams', bytes: () => Buffer.concat(Array.from({ length: 29 }, (_, i) => declare(3 + i, 600_000, 9))), code: 'message-too-large', maxBuffered: 0 },
  ];
  for (const { name, bytes, code, maxBuffered } of preAuthCases) {
    it(`before auth: ${name} -> ${code ?? 'accepted'}, holding at most ${maxBuffered} bytes`, () => {
      const reader = new ChunkReader(defaultPreAuthChunkReaderLimits);
      if (code) assert.throws(() => reader.push(bytes()), (e: unknown) => e instanceof ParseError && e.code === code);
      else reader.push(bytes());
      assert.ok(reader.bufferedBytes <= maxBuffered, `${reader.bufferedBytes} bytes held`);
    });
  }

  it('raises its limits with setLimits (after a publish is accepted) and keeps them for what follows', () => {
    const reader = new ChunkReader(defaultPreAuthChunkReaderLimits);
    assert.throws(() => new ChunkReader(defaultPreAuthChunkReaderLimits).push(declare(6, 100_000, 9)), (e: unknown) => e instanceof ParseError && e.code === 'message-too-large');
    reader.setLimits(defaultChunkReaderLimits);
    reader.push(declare(6, 100_000, 9));
    assert.equal(reader.bufferedBytes, 100_000);
  });
});
