// Property tests (fast-check): random bytes and mutated real captures fed to every parser.
// The only acceptable outcomes are a value or a ParseError; a successful decode re-encodes.
// A counterexample they find becomes a named case in that parser's table test (test/README.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeAudioTag, encodeAudioTag } from '../../src/flv/audio-tag.js';
import { decodeFlvTags, encodeFlvTags } from '../../src/flv/tag.js';
import { decodeVideoTag, encodeVideoTag } from '../../src/flv/video-tag.js';
import { decodeAmf0, encodeAmf0 } from '../../src/rtmp/amf0.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { decodeC0C1 } from '../../src/rtmp/handshake.js';
import { decodeMessage } from '../../src/rtmp/messages.js';
import { ParseError } from '../../src/rtmp/parse-error.js';
import { RtmpSession } from '../../src/rtmp/session.js';
import { loadCapture, splitCapture } from '../helpers/captures.js';

const ffmpeg = loadCapture('ffmpeg-publish');
const gstreamer = loadCapture('gstreamer-publish');

function parseErrorOr<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

type Mutation = { kind: 'flip'; at: number; value: number } | { kind: 'delete'; at: number; length: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(source: Uint8Array, mutations: Mutation[], from = 0): Buffer {
  let bytes = Buffer.from(source);
  for (const m of mutations) {
    const at = from + (m.at % Math.max(1, bytes.length - from));
    if (m.kind === 'flip') bytes[at] = m.value;
    else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}

const captureArb = fc.constantFrom(ffmpeg, gstreamer);

describe('parsers under random and mutated input', () => {
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
