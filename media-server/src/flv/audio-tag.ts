// FLV AUDIODATA (Adobe FLV spec v10.1, E.4.2.1), the payload of an RTMP audio message.
//
//   byte 0   SoundFormat(4) SoundRate(2) SoundSize(1) SoundType(1)
//   AAC:     byte 1 AACPacketType (0 = AudioSpecificConfig, 1 = raw frame), then the data
//   others:  the data follows byte 0
import type { AudioConfig, AudioFrame } from '../media/types.js';
import { ParseError } from '../bytes/parse-error.js';

export enum SoundFormat {
  LinearPcmPlatform = 0,
  Adpcm = 1,
  Mp3 = 2,
  LinearPcmLe = 3,
  Nellymoser16kMono = 4,
  Nellymoser8kMono = 5,
  Nellymoser = 6,
  G711ALaw = 7,
  G711MuLaw = 8,
  /** Enhanced RTMP v2 audio (Opus, FLAC, AC-3 ... by FourCC); not ingested yet. */
  ExHeader = 9,
  Aac = 10,
  Speex = 11,
  Mp3_8k = 14,
  DeviceSpecific = 15,
}

export enum AacPacketType {
  SequenceHeader = 0,
  Raw = 1,
}

export interface AudioTag {
  readonly soundFormat: SoundFormat;
  /** 0 = 5.5 kHz, 1 = 11 kHz, 2 = 22 kHz, 3 = 44 kHz ("for AAC: always 3"). */
  readonly soundRate: number;
  /** 0 = 8-bit, 1 = 16-bit samples. */
  readonly soundSize: number;
  readonly stereo: boolean;
  /** AAC only. */
  readonly aacPacketType?: AacPacketType;
  readonly data: Uint8Array;
}

export function decodeAudioTag(payload: Uint8Array): AudioTag {
  if (payload.length < 1) throw new ParseError('flv-invalid-tag', 'audio tag: empty payload');
  const b0 = payload[0] ?? 0;
  const soundFormat = (b0 >> 4) as SoundFormat;
  // One object literal per tag, no intermediate spread: this runs for every audio frame.
  const soundRate = (b0 >> 2) & 3;
  const soundSize = (b0 >> 1) & 1;
  const stereo = (b0 & 1) === 1;
  if (soundFormat !== SoundFormat.Aac) return { soundFormat, soundRate, soundSize, stereo, data: payload.subarray(1) };
  if (payload.length < 2) throw new ParseError('flv-invalid-tag', 'audio tag: AAC tag without AACPacketType');
  const aacPacketType = payload[1] as AacPacketType;
  if (aacPacketType !== AacPacketType.SequenceHeader && aacPacketType !== AacPacketType.Raw) {
    throw new ParseError('flv-invalid-tag', `audio tag: unknown AACPacketType ${aacPacketType}`);
  }
  return { soundFormat, soundRate, soundSize, stereo, aacPacketType, data: payload.subarray(2) };
}

export function encodeAudioTag(tag: AudioTag): Uint8Array {
  const aac = tag.soundFormat === SoundFormat.Aac;
  const out = new Uint8Array((aac ? 2 : 1) + tag.data.length);
  out[0] = (tag.soundFormat << 4) | (tag.soundRate << 2) | (tag.soundSize << 1) | (tag.stereo ? 1 : 0);
  if (aac) out[1] = tag.aacPacketType ?? AacPacketType.Raw;
  out.set(tag.data, aac ? 2 : 1);
  return out;
}

/** The media message an audio tag carries, or null for codecs outside the contract (logged by the caller). */
export function audioTagToMedia(tag: AudioTag, timestamp: number): AudioConfig | AudioFrame | null {
  if (tag.soundFormat !== SoundFormat.Aac) return null;
  if (tag.aacPacketType === AacPacketType.SequenceHeader) {
    // AudioSpecificConfig is at least 2 bytes (object type, frequency index, channels).
    if (tag.data.length < 2) throw new ParseError('flv-invalid-tag', `audio tag: AudioSpecificConfig of ${tag.data.length} bytes`);
    return { type: 'audio-config', codec: 'aac', config: tag.data };
  }
  if (tag.data.length === 0) return null;
  return { type: 'audio', timestamp, data: tag.data };
}
