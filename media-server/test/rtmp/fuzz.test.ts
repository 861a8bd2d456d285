// Property tests (fast-check) for the RTMP layer: random bytes and mutated real captures fed to
// the handshake, chunk reader, message decoder and session. The only acceptable outcomes are a
// value or a ParseError. (AMF0 and FLV have their own in test/amf and test/flv.)
// A counterexample they find becomes a named case in that parser's table test (test/README.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { decodeC0C1 } from '../../src/rtmp/handshake.js';
import { decodeMessage } from '../../src/rtmp/messages.js';
import { RtmpSession } from '../../src/rtmp/session.js';
import { mutate, mutation, parseErrorOr } from '../bytes/fuzz-input.js';
import { loadCapture, splitCapture } from '../helpers/captures.js';

const ffmpeg = loadCapture('ffmpeg-publish');
const gstreamer = loadCapture('gstreamer-publish');

const captureArb = fc.constantFrom(ffmpeg, gstreamer);

describe('rtmp under random and mutated input', () => {
  it('chunk reader + message decoder: mutated capture streams yield messages or ParseError, in any split', () => {
    fc.assert(
      fc.property(captureArb, fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 5000 }), (capture, mutations, piece) => {
        const chunks = mutate(splitCapture(capture).chunks, mutations);
        const reader = new ChunkReader();
        parseErrorOr(() => {
          for (let at = 0; at < chunks.length; at += piece) for (const raw of reader.push(chunks.subarray(at, at + piece))) decodeMessage(raw);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('chunk writer -> reader: any messages, chunk size and split points come back unchanged', () => {
    const messageArb = fc.record({
      chunkStreamId: fc.integer({ min: 3, max: 400 }),
      typeId: fc.constantFrom(8, 9, 18, 20),
      streamId: fc.integer({ min: 0, max: 3 }),
      timestamp: fc.oneof(fc.integer({ min: 0, max: 0xfffffe }), fc.integer({ min: 0xffffff, max: 0xffffffff })),
      payload: fc.uint8Array({ maxLength: 3000 }),
    });
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5000 }), fc.array(fc.nat(), { maxLength: 10 }), (messages, chunkSize, cuts) => {
        const writer = new ChunkWriter();
        const parts = [writer.write({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: Uint8Array.of(0, (chunkSize >> 16) & 0xff, (chunkSize >> 8) & 0xff, chunkSize & 0xff) })];
        writer.setChunkSize(chunkSize);
        for (const m of messages) parts.push(writer.write(m));
        const stream = Buffer.concat(parts);
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const reader = new ChunkReader();
        const out = [];
        let from = 0;
        for (const point of [...points, stream.length]) {
          out.push(...reader.push(stream.subarray(from, point)));
          from = point;
        }
        const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
        assert.deepEqual(
          out.slice(1).map((m) => ({ ...m, payload: hexOf(m.payload) })),
          messages.map((m) => ({ ...m, payload: hexOf(m.payload) })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('chunk reader: random bytes yield messages or ParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        parseErrorOr(() => new ChunkReader().push(bytes).map((raw) => decodeMessage(raw)));
      }),
      { numRuns: 3000 },
    );
  });

  it('handshake: random C0+C1 decode or throw ParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1537, maxLength: 1537 }), fc.boolean(), (bytes, v3) => {
        if (v3) bytes[0] = 3;
        parseErrorOr(() => decodeC0C1(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('session: a mutated publish never throws; it ends in media, or in one close action', () => {
    fc.assert(
      fc.property(captureArb, fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 9000 }), (capture, mutations, piece) => {
        // Mutations land after the handshake half of the time, to reach the command and media code.
        const bytes = mutate(capture, mutations, piece % 2 === 0 ? 3073 : 0);
        const session = new RtmpSession({ app: 'live', random: (n) => new Uint8Array(n) });
        let closes = 0;
        for (let at = 0; at < bytes.length && !session.isClosed; at += piece) {
          for (const action of session.receive(bytes.subarray(at, at + piece))) {
            if (action.type === 'close') closes++;
            if (action.type === 'authorize-publish') session.acceptPublish();
          }
        }
        assert.ok(closes <= 1);
        assert.equal(closes === 1, session.isClosed);
      }),
      { numRuns: 400 },
    );
  });
});
