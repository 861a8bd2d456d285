// Collects the samples of one LL-HLS part and turns them into one CMAF chunk (moof + mdat).
// Sample durations come from the next sample's decode time; the last sample of the part gets
// the duration the caller passes (exact when the next frame is already here, predicted when
// the part is closed the moment its last frame arrives).

import { encodeFragment, type FragmentSample, type TrackRun } from '../mp4/fragment.js';

export interface TimedSample {
  /** Decode time in the track's timescale. */
  readonly dts: number;
  /** Presentation minus decode time in the track's timescale. */
  readonly compositionOffset: number;
  readonly keyframe: boolean;
  readonly data: Uint8Array;
}

export class PartSamples {
  readonly video: TimedSample[] = [];
  readonly audio: TimedSample[] = [];
  bytes = 0;

  add(track: 'video' | 'audio', sample: TimedSample): void {
    this[track].push(sample);
    this.bytes += sample.data.length;
  }

  get empty(): boolean {
    return this.video.length === 0 && this.audio.length === 0;
  }
}

function withDurations(samples: readonly TimedSample[], lastDuration: number): FragmentSample[] {
  return samples.map((sample, index) => {
    const next = samples[index + 1];
    const duration = next ? next.dts - sample.dts : lastDuration;
    return { duration: Math.max(1, duration), compositionOffset: sample.compositionOffset, keyframe: sample.keyframe, data: sample.data };
  });
}

export interface PartTracks {
  readonly video?: { readonly trackId: number; readonly lastDuration: number };
  readonly audio?: { readonly trackId: number; readonly lastDuration: number };
}

/** Encodes the collected samples as one fragment; the only copy of the sample bytes. */
export function encodePart(sequenceNumber: number, samples: PartSamples, tracks: PartTracks): Uint8Array {
  const runs: TrackRun[] = [];
  const firstVideo = samples.video[0];
  if (tracks.video && firstVideo) {
    runs.push({ trackId: tracks.video.trackId, baseDecodeTime: firstVideo.dts, samples: withDurations(samples.video, tracks.video.lastDuration) });
  }
  const firstAudio = samples.audio[0];
  if (tracks.audio && firstAudio) {
    runs.push({ trackId: tracks.audio.trackId, baseDecodeTime: firstAudio.dts, samples: withDurations(samples.audio, tracks.audio.lastDuration) });
  }
  return encodeFragment(sequenceNumber, runs);
}
