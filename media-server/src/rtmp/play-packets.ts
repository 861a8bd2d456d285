// What a player receives: the media of a published stream turned back into RTMP messages (FLV
// tag payloads, section 7.1.5 of the RTMP spec), chunked once at the shared outgoing chunk size.
// One PlayPacket is written to every player's socket as is, so the bytes exist once per message.
//
// H.264 goes out as legacy AVC tags (what every player reads); H.265 and AV1 as Enhanced RTMP
// tags (`hvc1` / `av01`), the only way FLV carries them. AAC as SoundFormat 10, 44 kHz, 16-bit,
// stereo, "for AAC: always 3 / 1 / 1" (FLV spec E.4.2.1); the real rate and channels are in the
// AudioSpecificConfig.
import { Amf0Object, type Amf0Value } from '../amf/amf0.js';
import { AacPacketType, SoundFormat, encodeAudioTag } from '../flv/audio-tag.js';
import { LegacyVideoCodecId, VideoFrameType, VideoPacketType, encodeVideoTag, type VideoTag } from '../flv/video-tag.js';
import type { MediaMessage, StreamMetadata, VideoCodec } from '../media/types.js';
import type { ChunkWriter } from './chunk-writer.js';
import { MessageType, encodeMessage } from './messages.js';

/**
 * The message stream id of all shared media. Each player's media is sent on stream 1, as
 * nginx-rtmp does (NGX_RTMP_MSID): the first createStream of every client returns 1.
 */
export const playMessageStreamId = 1;

export type PlayPacketKind = 'metadata' | 'video-config' | 'audio-config' | 'video' | 'audio';

export interface PlayPacket {
  readonly kind: PlayPacketKind;
  /** A video keyframe: where a player may start or resume. */
  readonly keyframe: boolean;
  /** 32-bit RTMP timestamp (decode time), ms. */
  readonly timestamp: number;
  /** Complete chunks of the message, ready for the socket. */
  readonly bytes: Buffer;
}

function videoTag(codec: VideoCodec, frameType: VideoFrameType, packetType: VideoPacketType, compositionOffset: number, data: Uint8Array): VideoTag {
  if (codec === 'h264') return { enhanced: false, frameType, codecId: LegacyVideoCodecId.Avc, codec, packetType, compositionOffset, data };
  return { enhanced: true, frameType, codecId: codec === 'h265' ? 'hvc1' : 'av01', codec, packetType, compositionOffset, data };
}

/** onMetaData as nginx-rtmp and FMS send it to players: the publisher's values we kept. */
export function metadataValues(metadata: StreamMetadata, videoCodec: VideoCodec | undefined, hasAudio: boolean): Amf0Value[] {
  const fields: Record<string, Amf0Value> = {};
  if (metadata.width !== undefined) fields.width = metadata.width;
  if (metadata.height !== undefined) fields.height = metadata.height;
  if (metadata.frameRate !== undefined) fields.framerate = metadata.frameRate;
  if (metadata.videoBitrateKbps !== undefined) fields.videodatarate = metadata.videoBitrateKbps;
  if (videoCodec === 'h264') fields.videocodecid = LegacyVideoCodecId.Avc;
  if (metadata.audioBitrateKbps !== undefined) fields.audiodatarate = metadata.audioBitrateKbps;
  if (metadata.audioSampleRate !== undefined) fields.audiosamplerate = metadata.audioSampleRate;
  if (metadata.audioChannels !== undefined) fields.stereo = metadata.audioChannels > 1;
  if (hasAudio) fields.audiocodecid = SoundFormat.Aac;
  if (metadata.encoder !== undefined) fields.encoder = metadata.encoder;
  return ['onMetaData', Amf0Object.from(fields)];
}

/** The context a message needs to be encoded: the stream's video codec (frames do not carry it). */
export interface PlayEncodeContext {
  readonly videoCodec: VideoCodec | undefined;
  readonly hasAudio: boolean;
}

/**
 * One media message as a chunked RTMP message at `timestamp` (configs and metadata carry none of
 * their own). Returns null for a video frame before the stream said which codec it is.
 */
export function encodePlayPacket(message: MediaMessage, timestamp: number, context: PlayEncodeContext, writer: ChunkWriter): PlayPacket | null {
  const base = { timestamp: timestamp >>> 0, streamId: playMessageStreamId };
  const chunked = (kind: PlayPacketKind, keyframe: boolean, typeId: MessageType.Audio | MessageType.Video, payload: Uint8Array): PlayPacket => {
    const bytes = writer.write(encodeMessage({ ...base, type: typeId, payload }));
    return { kind, keyframe, timestamp: base.timestamp, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  };
  switch (message.type) {
    case 'video-config':
      return chunked('video-config', false, MessageType.Video, encodeVideoTag(videoTag(message.codec, VideoFrameType.Key, VideoPacketType.SequenceStart, 0, message.record)));
    case 'video': {
      if (!context.videoCodec) return null;
      const frameType = message.keyframe ? VideoFrameType.Key : VideoFrameType.Inter;
      return chunked('video', message.keyframe, MessageType.Video, encodeVideoTag(videoTag(context.videoCodec, frameType, VideoPacketType.CodedFrames, message.compositionOffset, message.data)));
    }
    case 'audio-config':
      return chunked('audio-config', false, MessageType.Audio, encodeAudioTag({ soundFormat: SoundFormat.Aac, soundRate: 3, soundSize: 1, stereo: true, aacPacketType: AacPacketType.SequenceHeader, data: message.config }));
    case 'audio':
      return chunked('audio', false, MessageType.Audio, encodeAudioTag({ soundFormat: SoundFormat.Aac, soundRate: 3, soundSize: 1, stereo: true, aacPacketType: AacPacketType.Raw, data: message.data }));
    case 'metadata': {
      // At timestamp 0: ffmpeg's FLV demuxer reads a later onMetaData as a subtitle ("text") stream.
      const bytes = writer.write(encodeMessage({ timestamp: 0, streamId: playMessageStreamId, type: MessageType.DataAmf0, values: metadataValues(message, context.videoCodec, context.hasAudio) }));
      return { kind: 'metadata', keyframe: false, timestamp: 0, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }
  }
}

/**
 * A message with its PlayPacket made the first time it is read: what the GOP cache holds, so a
 * stream nobody plays over RTMP costs no encoding and no second copy of its GOP.
 */
export class LazyPlayPacket {
  readonly kind: PlayPacketKind;
  readonly keyframe: boolean;
  /** The packet's timestamp (metadata goes out at 0). */
  readonly timestamp: number;
  /** Payload bytes: what the GOP cache counts against its cap. */
  readonly size: number;
  private encoded: PlayPacket | null | undefined;

  constructor(
    private readonly message: MediaMessage,
    private readonly at: number,
    private readonly context: PlayEncodeContext,
    private readonly writer: ChunkWriter,
  ) {
    this.kind = message.type;
    this.keyframe = message.type === 'video' && message.keyframe;
    this.timestamp = message.type === 'metadata' ? 0 : at >>> 0;
    this.size = message.type === 'video' || message.type === 'audio' ? message.data.length : 0;
  }

  /** The chunked message, encoded once; null for a video frame before the stream named its codec. */
  get packet(): PlayPacket | null {
    if (this.encoded === undefined) this.encoded = encodePlayPacket(this.message, this.at, this.context, this.writer);
    return this.encoded;
  }
}
