// AAC AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): object type, sampling rate and channels,
// for the mp4a sample entry, the audio timescale and the RFC 6381 codec string `mp4a.40.N`.
//
//   ASC: audioObjectType(5 | 5+6 when 31) | samplingFrequencyIndex(4 | 4+24 when 15)
//        | channelConfiguration(4) | ...

import { BitReader, CodecError } from './bit-reader.js';

export interface AacConfig {
  readonly objectType: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** RFC 6381 codec string, e.g. mp4a.40.2 for AAC-LC. */
  readonly codec: string;
  /** PCM samples per AAC frame at `sampleRate` (1024 for AAC-LC and for HE-AAC's core). */
  readonly samplesPerFrame: number;
}

const sampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export function decodeAudioSpecificConfig(config: Uint8Array): AacConfig {
  if (config.length < 2) throw new CodecError('buffer-too-short', `AudioSpecificConfig: ${config.length} bytes, need at least 2`);
  const reader = new BitReader(config);
  let objectType = reader.readBits(5);
  if (objectType === 31) objectType = 32 + reader.readBits(6);
  const frequencyIndex = reader.readBits(4);
  const sampleRate = frequencyIndex === 15 ? reader.readBits(24) : sampleRates[frequencyIndex];
  if (sampleRate === undefined || sampleRate === 0) {
    throw new CodecError('invalid-record', `AudioSpecificConfig: sampling frequency index ${frequencyIndex} is reserved`);
  }
  const channels = reader.readBits(4);
  if (objectType === 0) throw new CodecError('invalid-record', 'AudioSpecificConfig: audio object type 0 is invalid');
  // GASpecificConfig frameLengthFlag (the bit after channelConfiguration): 960-sample frames.
  const samplesPerFrame = objectType <= 4 && frequencyIndex !== 15 && (config[1]! & 0x04) !== 0 ? 960 : 1024;
  return { objectType, sampleRate, channels, codec: `mp4a.40.${objectType}`, samplesPerFrame };
}
