import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/bytes/parse-error.js';
import { LegacyVideoCodecId, VideoFrameType, VideoPacketType, decodeVideoTag, encodeVideoTag, videoTagToMedia, type VideoTag } from '../../src/flv/video-tag.js';
import { assertBytes, hex } from '../helpers/captures.js';

const avcC = hex('014d400cffe10019674d400ceca1423f2e022000000300200000030281e28532c001000468ce3c80');
const legacy = (frameType: VideoFrameType, packetType: VideoPacketType, compositionOffset: number, data: Uint8Array): VideoTag => ({
  enhanced: false,
  frameType,
  codecId: LegacyVideoCodecId.Avc,
  codec: 'h264',
  packetType,
  compositionOffset,
  data,
});
const enhanced = (frameType: VideoFrameType, fourCc: string, codec: VideoTag['codec'], packetType: VideoPacketType, compositionOffset: number, data: Uint8Array): VideoTag => ({
  enhanced: true,
  frameType,
  codecId: fourCc,
  codec,
  packetType,
  compositionOffset,
  data,
});

// The legacy AVC cases are payloads from test/fixtures/ffmpeg-publish.bin; the Enhanced RTMP ones
// follow the veovera enhanced-rtmp v1 layout (OBS 29.1+ sends hvc1 and av01 like this).
const cases: Array<{ name: string; bytes: Uint8Array; value: VideoTag }> = [
  { name: 'AVC sequence header (ffmpeg)', bytes: Buffer.concat([hex('1700000000'), avcC]), value: legacy(VideoFrameType.Key, VideoPacketType.SequenceStart, 0, avcC) },
  {
    name: 'AVC inter frame with a 100 ms composition offset (ffmpeg, B-frames)',
    bytes: hex('2701000064 0000000f01419a2300'),
    value: legacy(VideoFrameType.Inter, VideoPacketType.CodedFrames, 100, hex('0000000f01419a2300')),
  },
  { name: 'AVC negative composition offset', bytes: hex('2701ffffce 00000001 09'), value: legacy(VideoFrameType.Inter, VideoPacketType.CodedFrames, -50, hex('00000001 09')) },
  { name: 'AVC end of sequence', bytes: hex('1702000000'), value: legacy(VideoFrameType.Key, VideoPacketType.SequenceEnd, 0, hex('')) },
  {
    name: 'Enhanced hvc1 sequence start',
    bytes: hex('90 68766331 0101600000009000000000005df000fcfdf8f800000f03'),
    value: enhanced(VideoFrameType.Key, 'hvc1', 'h265', VideoPacketType.SequenceStart, 0, hex('0101600000009000000000005df000fcfdf8f800000f03')),
  },
  {
    name: 'Enhanced hvc1 coded frames with composition time',
    bytes: hex('91 68766331 000021 00000004 26010af0'),
    value: enhanced(VideoFrameType.Key, 'hvc1', 'h265', VideoPacketType.CodedFrames, 33, hex('00000004 26010af0')),
  },
  {
    name: 'Enhanced hvc1 coded frames X (composition time implied 0)',
    bytes: hex('a3 68766331 00000003 020150'),
    value: enhanced(VideoFrameType.Inter, 'hvc1', 'h265', VideoPacketType.CodedFramesX, 0, hex('00000003 020150')),
  },
  {
    name: 'Enhanced av01 sequence start (av1C)',
    bytes: hex('90 61763031 81000c000a0b00000042ab bfc3'),
    value: enhanced(VideoFrameType.Key, 'av01', 'av1', VideoPacketType.SequenceStart, 0, hex('81000c000a0b00000042abbfc3')),
  },
  {
    name: 'Enhanced av01 coded frames (no composition time for AV1)',
    bytes: hex('91 61763031 12000a0b00000042abbfc3'),
    value: enhanced(VideoFrameType.Key, 'av01', 'av1', VideoPacketType.CodedFrames, 0, hex('12000a0b00000042abbfc3')),
  },
  { name: 'Enhanced unknown FourCC', bytes: hex('91 76703039 aabb'), value: enhanced(VideoFrameType.Key, 'vp09', null, VideoPacketType.CodedFrames, 0, hex('aabb')) },
  {
    name: 'legacy non-AVC codec (VP6)',
    bytes: hex('24 0102'),
    value: { enhanced: false, frameType: VideoFrameType.Inter, codecId: LegacyVideoCodecId.Vp6, codec: null, packetType: VideoPacketType.CodedFrames, compositionOffset: 0, data: hex('0102') },
  },
];

const normalise = (tag: VideoTag) => ({ ...tag, data: Buffer.from(tag.data).toString('hex') });

describe('video tag', () => {
  for (const { name, bytes, value } of cases) {
    it(`decodes ${name}`, () => {
      assert.deepEqual(normalise(decodeVideoTag(bytes)), normalise(value));
    });
    it(`encodes ${name}`, () => {
      assertBytes(encodeVideoTag(value), bytes);
    });
  }

  it('maps sequence headers and frames to media messages', () => {
    assert.deepEqual(videoTagToMedia(cases[0]!.value, 0), { type: 'video-config', codec: 'h264', record: avcC });
    const frame = videoTagToMedia(cases[1]!.value, 1234);
    assert.equal(frame?.type, 'video');
    assert.equal(frame?.type === 'video' && frame.compositionOffset, 100);
    assert.equal(frame?.type === 'video' && frame.keyframe, false);
    const hevc = videoTagToMedia(cases[5]!.value, 5);
    assert.equal(hevc?.type === 'video' && hevc.keyframe, true);
    assert.deepEqual(videoTagToMedia(cases[7]!.value, 0), { type: 'video-config', codec: 'av1', record: cases[7]!.value.data });
    assert.equal(videoTagToMedia(cases[3]!.value, 0), null, 'end of sequence carries no frame');
    assert.equal(videoTagToMedia(cases[9]!.value, 0), null, 'unknown codecs are not passed on');
  });

  for (const [name, bytes] of [
    ['an empty payload', hex('')],
    ['a truncated AVC header', hex('1701')],
    ['a truncated enhanced header', hex('906876')],
    ['hvc1 coded frames without composition time', hex('9168766331 00')],
    ['an unknown AVCPacketType', hex('1705000000')],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.throws(() => decodeVideoTag(bytes), (e: unknown) => e instanceof ParseError && e.code === 'flv-invalid-tag');
    });
  }
});
