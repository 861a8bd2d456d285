// Media messages back to RTMP messages for players: one table of {name, message, bytes} checked by
// encoding and by parsing the bytes back with our chunk reader and FLV tag decoders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Amf0Object } from '../../src/amf/amf0.js';
import { decodeAudioTag } from '../../src/flv/audio-tag.js';
import { decodeVideoTag } from '../../src/flv/video-tag.js';
import type { MediaMessage } from '../../src/media/types.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { MessageType, decodeMessage } from '../../src/rtmp/messages.js';
import { encodePlayPacket, type PlayEncodeContext } from '../../src/rtmp/play-packets.js';
import { assertBytes, hex } from '../helpers/captures.js';

const h264: PlayEncodeContext = { videoCodec: 'h264', hasAudio: true };
const avcC = hex('01640015ffe1');

const table: Array<{ name: string; message: MediaMessage; timestamp: number; context?: PlayEncodeContext; bytes: Buffer }> = [
  {
    // fmt 0, csid 6 | ts 1000 | length 11 | type 9 | msid 1 (LE) | 0x17 AVC key, SequenceStart, CTS 0, avcC
    name: 'AVC sequence header',
    message: { type: 'video-config', codec: 'h264', record: avcC },
    timestamp: 1000,
    bytes: hex('06 0003e8 00000b 09 01000000  17 00 000000 01640015ffe1'),
  },
  {
    name: 'AVC keyframe with composition offset 66',
    message: { type: 'video', timestamp: 1033, compositionOffset: 66, keyframe: true, data: hex('0000000165') },
    timestamp: 1033,
    bytes: hex('06 000409 00000a 09 01000000  17 01 000042 0000000165'),
  },
  {
    name: 'AVC inter frame',
    message: { type: 'video', timestamp: 1066, compositionOffset: 0, keyframe: false, data: hex('0000000141') },
    timestamp: 1066,
    bytes: hex('06 00042a 00000a 09 01000000  27 01 000000 0000000141'),
  },
  {
    // 0xAF: AAC, 44 kHz, 16-bit, stereo ("for AAC: always 3 / 1 / 1"); 0x00 AudioSpecificConfig
    name: 'AAC sequence header',
    message: { type: 'audio-config', codec: 'aac', config: hex('1210') },
    timestamp: 0,
    bytes: hex('04 000000 000004 08 01000000  af 00 1210'),
  },
  {
    name: 'AAC raw frame',
    message: { type: 'audio', timestamp: 1023, data: hex('210049') },
    timestamp: 1023,
    bytes: hex('04 0003ff 000005 08 01000000  af 01 210049'),
  },
  {
    // Enhanced RTMP: 0x80 | Key<<4 | CodedFrames, 'hvc1', SI24 composition time
    name: 'HEVC keyframe (Enhanced RTMP)',
    message: { type: 'video', timestamp: 5, compositionOffset: 0, keyframe: true, data: hex('00000001') },
    timestamp: 5,
    context: { videoCodec: 'h265', hasAudio: false },
    bytes: hex('06 000005 00000c 09 01000000  91 68766331 000000 00000001'),
  },
  {
    name: 'extended timestamp at 0xFFFFFF and beyond',
    message: { type: 'audio', timestamp: 0x1000000, data: hex('21') },
    timestamp: 0x1000000,
    bytes: hex('04 ffffff 000003 08 01000000 01000000  af 01 21'),
  },
];

describe('play packets', () => {
  for (const { name, message, timestamp, context = h264, bytes } of table) {
    it(`encodes ${name}`, () => {
      const packet = encodePlayPacket(message, timestamp, context, new ChunkWriter());
      assert.ok(packet);
      assertBytes(packet.bytes, bytes);
      assert.equal(packet.keyframe, message.type === 'video' && message.keyframe);
    });
    it(`parses ${name} back`, () => {
      const [raw] = new ChunkReader().push(bytes);
      assert.ok(raw);
      const decoded = decodeMessage(raw);
      assert.equal(decoded.timestamp, timestamp);
      assert.equal(decoded.streamId, 1);
      if (decoded.type === MessageType.Video) {
        const tag = decodeVideoTag(decoded.payload);
        if (message.type === 'video') {
          assert.equal(tag.compositionOffset, message.compositionOffset);
          assertBytes(tag.data, message.data);
        } else if (message.type === 'video-config') assertBytes(tag.data, message.record);
      } else if (decoded.type === MessageType.Audio) {
        const tag = decodeAudioTag(decoded.payload);
        assertBytes(tag.data, message.type === 'audio' ? message.data : message.type === 'audio-config' ? message.config : new Uint8Array());
      } else assert.fail(`unexpected message type ${decoded.type}`);
    });
  }

  it('chunks a large frame once at the shared chunk size (type 3 continuation headers)', () => {
    const writer = new ChunkWriter();
    writer.setChunkSize(4096);
    const data = new Uint8Array(10_000).fill(7);
    const packet = encodePlayPacket({ type: 'video', timestamp: 40, compositionOffset: 0, keyframe: false, data }, 40, h264, writer);
    assert.ok(packet);
    // 12-byte type 0 header + 10,005 payload bytes + 2 one-byte type 3 headers (0xC6)
    assert.equal(packet.bytes.length, 12 + 10_005 + 2);
    assert.equal(packet.bytes[12 + 4096], 0xc6);
    const reader = new ChunkReader();
    reader.push(new Uint8Array([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0x10, 0]));
    const [raw] = reader.push(packet.bytes);
    assert.equal(raw?.payload.length, 10_005);
  });

  it('sends onMetaData at timestamp 0 with the kept fields and the codec ids', () => {
    const packet = encodePlayPacket({ type: 'metadata', width: 1280, height: 720, frameRate: 30, audioSampleRate: 48000, audioChannels: 2, encoder: 'obs-output module (libobs version 29.1.0)' }, 9000, h264, new ChunkWriter());
    assert.ok(packet);
    assert.equal(packet.timestamp, 0);
    const [raw] = new ChunkReader().push(packet.bytes);
    assert.ok(raw);
    const message = decodeMessage(raw);
    assert.ok(message.type === MessageType.DataAmf0);
    assert.equal(message.values[0], 'onMetaData');
    const object = message.values[1];
    assert.ok(object instanceof Amf0Object);
    assert.deepEqual(
      ['width', 'height', 'framerate', 'videocodecid', 'audiosamplerate', 'stereo', 'audiocodecid', 'encoder'].map((k) => object.get(k)),
      [1280, 720, 30, 7, 48000, true, 10, 'obs-output module (libobs version 29.1.0)'],
    );
  });

  it('drops a video frame of a stream whose codec is not known yet', () => {
    assert.equal(encodePlayPacket({ type: 'video', timestamp: 0, compositionOffset: 0, keyframe: true, data: hex('00') }, 0, { videoCodec: undefined, hasAudio: false }, new ChunkWriter()), null);
  });
});

describe('play packets (property)', () => {
  it('any media frame at any timestamp and chunk size parses back to the same payload, timestamp and keyframe flag', () => {
    const frame = fc.oneof(
      fc.record({ type: fc.constant('video' as const), timestamp: fc.integer({ min: 0, max: 2 ** 32 - 1 }), compositionOffset: fc.integer({ min: -(2 ** 23), max: 2 ** 23 - 1 }), keyframe: fc.boolean(), data: fc.uint8Array({ minLength: 1, maxLength: 9000 }) }),
      fc.record({ type: fc.constant('audio' as const), timestamp: fc.integer({ min: 0, max: 2 ** 32 - 1 }), data: fc.uint8Array({ minLength: 1, maxLength: 3000 }) }),
    );
    fc.assert(
      fc.property(frame, fc.constantFrom('h264' as const, 'h265' as const), fc.integer({ min: 128, max: 65536 }), (message, videoCodec, chunkSize) => {
        const writer = new ChunkWriter();
        writer.setChunkSize(chunkSize);
        const packet = encodePlayPacket(message, message.timestamp, { videoCodec, hasAudio: true }, writer);
        assert.ok(packet);
        const reader = new ChunkReader();
        const setChunkSize = new Uint8Array([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        new DataView(setChunkSize.buffer).setUint32(12, chunkSize);
        reader.push(setChunkSize);
        const [raw] = reader.push(packet.bytes);
        assert.ok(raw);
        assert.equal(raw.timestamp, message.timestamp);
        const decoded = decodeMessage(raw);
        if (message.type === 'video') {
          assert.equal(decoded.type, MessageType.Video);
          const tag = decodeVideoTag(raw.payload);
          assert.equal(tag.codec, videoCodec);
          assert.equal(tag.compositionOffset, message.compositionOffset);
          assert.equal(packet.keyframe, message.keyframe);
          assertBytes(tag.data, message.data);
        } else {
          assert.equal(decoded.type, MessageType.Audio);
          assertBytes(decodeAudioTag(raw.payload).data, message.data);
        }
      }),
      { numRuns: 200 },
    );
  });
});
