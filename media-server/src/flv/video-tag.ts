// FLV VIDEODATA (Adobe FLV spec v10.1, E.4.3.1) and its Enhanced RTMP extension (veovera
// "enhanced-rtmp" v1/v2), the payload of an RTMP video message.
//
// Legacy:   byte 0 FrameType(4) CodecID(4); AVC (7): AVCPacketType(1) CompositionTime(SI24) data
// Enhanced: byte 0 IsExHeader(1)=1 FrameType(3) PacketType(4); FourCC(4); then
//           CodedFrames for avc1/hvc1: CompositionTime(SI24) data; otherwise data.
//           "CodedFramesX: CompositionTime is implied to be zero" (saves 3 bytes).
// Legacy AVCPacketType values 0/1/2 equal enhanced SequenceStart/CodedFrames/SequenceEnd, so one
// packet-type enum serves both.
import type { VideoCodec, VideoConfig, VideoFrame } from '../media/types.js';
import { readI24, writeI24 } from '../bytes/big-endian.js';
import { ParseError } from '../bytes/parse-error.js';

export enum VideoFrameType {
  Key = 1,
  Inter = 2,
  DisposableInter = 3,
  GeneratedKey = 4,
  /** Video info/command frame (seek markers); carries no picture. */
  Command = 5,
}

export enum LegacyVideoCodecId {
  SorensonH263 = 2,
  ScreenVideo = 3,
  Vp6 = 4,
  Vp6Alpha = 5,
  ScreenVideo2 = 6,
  Avc = 7,
}

export enum VideoPacketType {
  SequenceStart = 0,
  CodedFrames = 1,
  SequenceEnd = 2,
  CodedFramesX = 3,
  Metadata = 4,
  Mpeg2TsSequenceStart = 5,
  Multitrack = 6,
  ModEx = 7,
}

const fourCcCodecs: Record<string, VideoCodec> = { avc1: 'h264', hvc1: 'h265', av01: 'av1' };
const codecFourCcs: Record<VideoCodec, string> = { h264: 'avc1', h265: 'hvc1', av1: 'av01' };

export interface VideoTag {
  readonly enhanced: boolean;
  readonly frameType: VideoFrameType;
  /** Legacy CodecID, or the enhanced FourCC (e.g. 'hvc1'). */
  readonly codecId: LegacyVideoCodecId | string;
  /** The contract codec when known (avc1/hvc1/av01, legacy AVC), else null. */
  readonly codec: VideoCodec | null;
  /** For legacy non-AVC codecs this is meaningless and 0. */
  readonly packetType: VideoPacketType;
  /** Presentation minus decode time, ms (SI24); 0 when the format has none. */
  readonly compositionOffset: number;
  readonly data: Uint8Array;
}

function hasCompositionTime(codec: VideoCodec | null, packetType: VideoPacketType): boolean {
  return packetType === VideoPacketType.CodedFrames && (codec === 'h264' || codec === 'h265');
}

export function decodeVideoTag(payload: Uint8Array): VideoTag {
  if (payload.length < 1) throw new ParseError('flv-invalid-tag', 'video tag: empty payload');
  const b0 = payload[0] ?? 0;
  if (b0 & 0x80) {
    const frameType = ((b0 >> 4) & 0x07) as VideoFrameType;
    const packetType = (b0 & 0x0f) as VideoPacketType;
    if (payload.length < 5) throw new ParseError('flv-invalid-tag', `video tag: enhanced header needs 5 bytes, have ${payload.length}`);
    const codecId = String.fromCharCode(payload[1] ?? 0, payload[2] ?? 0, payload[3] ?? 0, payload[4] ?? 0);
    const codec = fourCcCodecs[codecId] ?? null;
    if (hasCompositionTime(codec, packetType) && frameType !== VideoFrameType.Command) {
      if (payload.length < 8) throw new ParseError('flv-invalid-tag', `video tag: ${codecId} CodedFrames without composition time`);
      return { enhanced: true, frameType, codecId, codec, packetType, compositionOffset: readI24(payload, 5), data: payload.subarray(8) };
    }
    return { enhanced: true, frameType, codecId, codec, packetType, compositionOffset: 0, data: payload.subarray(5) };
  }
  const frameType = (b0 >> 4) as VideoFrameType;
  const codecId = (b0 & 0x0f) as LegacyVideoCodecId;
  if (codecId !== LegacyVideoCodecId.Avc) {
    return { enhanced: false, frameType, codecId, codec: null, packetType: VideoPacketType.CodedFrames, compositionOffset: 0, data: payload.subarray(1) };
  }
  if (payload.length < 5) throw new ParseError('flv-invalid-tag', `video tag: AVC header needs 5 bytes, have ${payload.length}`);
  const packetType = (payload[1] ?? 0) as VideoPacketType;
  if (packetType > VideoPacketType.SequenceEnd) throw new ParseError('flv-invalid-tag', `video tag: unknown AVCPacketType ${packetType}`);
  return { enhanced: false, frameType, codecId, codec: 'h264', packetType, compositionOffset: readI24(payload, 2), data: payload.subarray(5) };
}

export function encodeVideoTag(tag: VideoTag): Uint8Array {
  if (tag.enhanced) {
    const fourCc = typeof tag.codecId === 'string' ? tag.codecId : tag.codec ? codecFourCcs[tag.codec] : '????';
    const withCto = hasCompositionTime(tag.codec, tag.packetType) && tag.frameType !== VideoFrameType.Command;
    const head = withCto ? 8 : 5;
    const out = new Uint8Array(head + tag.data.length);
    out[0] = 0x80 | ((tag.frameType & 0x07) << 4) | (tag.packetType & 0x0f);
    for (let i = 0; i < 4; i++) out[1 + i] = fourCc.charCodeAt(i) & 0xff;
    if (withCto) writeI24(out, 5, tag.compositionOffset);
    out.set(tag.data, head);
    return out;
  }
  const codecId = typeof tag.codecId === 'number' ? tag.codecId : LegacyVideoCodecId.Avc;
  if (codecId !== LegacyVideoCodecId.Avc) {
    const out = new Uint8Array(1 + tag.data.length);
    out[0] = (tag.frameType << 4) | codecId;
    out.set(tag.data, 1);
    return out;
  }
  const out = new Uint8Array(5 + tag.data.length);
  out[0] = (tag.frameType << 4) | codecId;
  out[1] = tag.packetType;
  writeI24(out, 2, tag.compositionOffset);
  out.set(tag.data, 5);
  return out;
}

/** The media message a video tag carries, or null when it carries none we pass on. */
export function videoTagToMedia(tag: VideoTag, timestamp: number): VideoConfig | VideoFrame | null {
  if (!tag.codec || tag.frameType === VideoFrameType.Command) return null;
  switch (tag.packetType) {
    case VideoPacketType.SequenceStart:
      if (tag.data.length === 0) throw new ParseError('flv-invalid-tag', `video tag: empty ${tag.codec} decoder configuration record`);
      return { type: 'video-config', codec: tag.codec, record: tag.data };
    case VideoPacketType.CodedFrames:
    case VideoPacketType.CodedFramesX:
      if (tag.data.length === 0) return null;
      return {
        type: 'video',
        timestamp,
        compositionOffset: tag.compositionOffset,
        keyframe: tag.frameType === VideoFrameType.Key || tag.frameType === VideoFrameType.GeneratedKey,
        data: tag.data,
      };
    default:
      return null;
  }
}
