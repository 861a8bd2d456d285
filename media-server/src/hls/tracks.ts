// From the publisher's decoder configurations to packaging tracks: track ids, timescales,
// codec strings and resolution (for the init segment and the multivariant playlist).

import { decodeAudioSpecificConfig } from '../codec/aac.js';
import { av1VideoInfo } from '../codec/av1.js';
import { h264VideoInfo, type VideoInfo } from '../codec/h264.js';
import { h265VideoInfo } from '../codec/h265.js';
import type { AudioConfig, VideoConfig } from '../media/types.js';
import type { AudioTrack, VideoTrack } from '../mp4/init-segment.js';

export const videoTimescale = 90_000;
export const videoTrackId = 1;
export const audioTrackId = 2;

export interface PackagedVideo {
  readonly track: VideoTrack;
  readonly codecString: string;
}

export interface PackagedAudio {
  readonly track: AudioTrack;
  readonly codecString: string;
  readonly samplesPerFrame: number;
}

function videoInfo(config: VideoConfig): VideoInfo {
  switch (config.codec) {
    case 'h264':
      return h264VideoInfo(config.record);
    case 'h265':
      return h265VideoInfo(config.record);
    case 'av1':
      return av1VideoInfo(config.record);
  }
}

/** Throws CodecError when the record cannot be parsed (the stream then has no video track). */
export function packageVideo(config: VideoConfig): PackagedVideo {
  const info = videoInfo(config);
  return {
    track: { kind: 'video', id: videoTrackId, timescale: videoTimescale, codec: config.codec, record: config.record, width: info.width, height: info.height },
    codecString: info.codec,
  };
}

export function packageAudio(config: AudioConfig): PackagedAudio {
  const asc = decodeAudioSpecificConfig(config.config);
  return {
    track: { kind: 'audio', id: audioTrackId, timescale: asc.sampleRate, config: config.config, channels: asc.channels },
    codecString: asc.codec,
    samplesPerFrame: asc.samplesPerFrame,
  };
}
