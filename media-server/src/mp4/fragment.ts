// One movie fragment (ISO/IEC 14496-12 8.8): a CMAF chunk that is one LL-HLS part. A media
// segment is a run of these, starting with a fragment whose first video sample is a keyframe.
//
//   moof
//   ├── mfhd                 sequence_number
//   └── traf (one per track with samples in this fragment)
//       ├── tfhd             track_ID, default-base-is-moof
//       ├── tfdt (v1)        baseMediaDecodeTime, 64-bit
//       └── trun (v1)        data_offset, per sample: duration, size, flags, signed CTS offset
//   mdat                     the samples, track by track in traf order
//
// The sample bytes are copied exactly once, into the one buffer holding moof + mdat.

import { writeI32, writeU32 } from '../bytes/big-endian.js';
import { box, fullBox, Mp4Error, u32, u64 } from './box.js';

export interface FragmentSample {
  /** Duration in the track's timescale. */
  readonly duration: number;
  /** Presentation minus decode time in the track's timescale (signed: trun version 1). */
  readonly compositionOffset: number;
  readonly keyframe: boolean;
  readonly data: Uint8Array;
}

export interface TrackRun {
  readonly trackId: number;
  /** Decode time of the first sample in the track's timescale. */
  readonly baseDecodeTime: number;
  readonly samples: readonly FragmentSample[];
}

const tfhdDefaultBaseIsMoof = 0x020000;
const trunDataOffset = 0x000001;
const trunSampleDuration = 0x000100;
const trunSampleSize = 0x000200;
const trunSampleFlags = 0x000400;
const trunCompositionOffset = 0x000800;

/** sample_depends_on = 2 (independent). */
const syncSampleFlags = 0x02000000;
/** sample_depends_on = 1 and sample_is_non_sync_sample = 1. */
const nonSyncSampleFlags = 0x01010000;

export function mfhd(sequenceNumber: number): Uint8Array {
  return fullBox('mfhd', 0, 0, u32(sequenceNumber));
}

export function tfhd(trackId: number): Uint8Array {
  return fullBox('tfhd', 0, tfhdDefaultBaseIsMoof, u32(trackId));
}

export function tfdt(baseDecodeTime: number): Uint8Array {
  return fullBox('tfdt', 1, 0, u64(baseDecodeTime));
}

function hasCompositionOffsets(samples: readonly FragmentSample[]): boolean {
  return samples.some((sample) => sample.compositionOffset !== 0);
}

/** trun (v1): the per-sample table is written into one buffer, not one array per field. */
export function trun(samples: readonly FragmentSample[], dataOffset: number): Uint8Array {
  const withOffsets = hasCompositionOffsets(samples);
  const flags = trunDataOffset | trunSampleDuration | trunSampleSize | trunSampleFlags | (withOffsets ? trunCompositionOffset : 0);
  const perSample = withOffsets ? 16 : 12;
  const fields = new Uint8Array(8 + samples.length * perSample);
  writeU32(fields, 0, samples.length);
  writeI32(fields, 4, dataOffset);
  let at = 8;
  for (const sample of samples) {
    if (!Number.isInteger(sample.duration) || sample.duration < 0 || sample.duration > 0xffffffff) {
      throw new Mp4Error('value-out-of-range', `sample duration ${sample.duration} does not fit trun`);
    }
    if (!Number.isInteger(sample.compositionOffset) || Math.abs(sample.compositionOffset) > 0x7fffffff) {
      throw new Mp4Error('value-out-of-range', `composition offset ${sample.compositionOffset} does not fit trun v1`);
    }
    writeU32(fields, at, sample.duration);
    writeU32(fields, at + 4, sample.data.length);
    writeU32(fields, at + 8, sample.keyframe ? syncSampleFlags : nonSyncSampleFlags);
    if (withOffsets) writeI32(fields, at + 12, sample.compositionOffset);
    at += perSample;
  }
  return fullBox('trun', 1, flags, fields);
}

/** Size of the moof for these runs, known before any data offset is (ISO/IEC 14496-12 box sizes). */
function moofSize(runs: readonly TrackRun[]): number {
  let size = 8 + 16; // moof header + mfhd
  for (const run of runs) {
    // traf header + tfhd (16) + tfdt v1 (20) + trun header, count, data_offset (20) + table
    size += 8 + 16 + 20 + 20 + run.samples.length * (hasCompositionOffsets(run.samples) ? 16 : 12);
  }
  return size;
}

export function traf(run: TrackRun, dataOffset: number): Uint8Array {
  return box('traf', tfhd(run.trackId), tfdt(run.baseDecodeTime), trun(run.samples, dataOffset));
}

export function moof(sequenceNumber: number, runs: readonly TrackRun[], dataStart: number): Uint8Array {
  const trafs: Uint8Array[] = [];
  let offset = dataStart;
  for (const run of runs) {
    trafs.push(traf(run, offset));
    for (const sample of run.samples) offset += sample.data.length;
  }
  return box('moof', mfhd(sequenceNumber), ...trafs);
}

/** moof + mdat in one buffer. Runs without samples are left out. */
export function encodeFragment(sequenceNumber: number, runs: readonly TrackRun[]): Uint8Array {
  const present = runs.filter((run) => run.samples.length > 0);
  let payload = 0;
  for (const run of present) for (const sample of run.samples) payload += sample.data.length;
  // data_offset is relative to the moof start (default-base-is-moof): moof size + mdat header.
  const headerSize = moofSize(present);
  const header = moof(sequenceNumber, present, headerSize + 8);
  if (header.length !== headerSize) throw new Error(`moof is ${header.length} bytes, expected ${headerSize}`);
  const out = new Uint8Array(headerSize + 8 + payload);
  out.set(header, 0);
  out.set(u32(8 + payload), headerSize);
  out.set([0x6d, 0x64, 0x61, 0x74], headerSize + 4); // 'mdat'
  let offset = headerSize + 8;
  for (const run of present) {
    for (const sample of run.samples) {
      out.set(sample.data, offset);
      offset += sample.data.length;
    }
  }
  return out;
}
