// Test-side readers for the fields our fragment writer produces, to check output against input.
// They read through DataView, not src/bytes/big-endian.ts: the check must not share the writer's code.
import { findBox, listBoxes } from '../../src/mp4/box.js';

export interface ParsedSample {
  duration: number;
  size: number;
  flags: number;
  compositionOffset: number;
}

export interface ParsedTraf {
  trackId: number;
  baseDecodeTime: number;
  dataOffset: number;
  samples: ParsedSample[];
}

export interface ParsedFragment {
  sequenceNumber: number;
  trafs: ParsedTraf[];
  /** Offset of the moof within the buffer given to parseFragments. */
  moofOffset: number;
  mdat: Uint8Array;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Sample defaults from tfhd (ISO/IEC 14496-12 8.8.7), used where trun leaves a field out. */
interface TrackDefaults {
  duration?: number;
  size?: number;
  flags?: number;
}

export function parseTraf(traf: Uint8Array): ParsedTraf {
  const tfhd = view(findBox(traf, ['tfhd'])[0]!.payload);
  const tfhdFlags = tfhd.getUint32(0) & 0xffffff;
  const defaults: TrackDefaults = {};
  let at = 8;
  const read = () => {
    at += 4;
    return tfhd.getUint32(at - 4);
  };
  if (tfhdFlags & 0x01) at += 8; // base_data_offset
  if (tfhdFlags & 0x02) at += 4; // sample_description_index
  if (tfhdFlags & 0x08) defaults.duration = read();
  if (tfhdFlags & 0x10) defaults.size = read();
  if (tfhdFlags & 0x20) defaults.flags = read();
  const tfdtBox = findBox(traf, ['tfdt'])[0]!.payload;
  const tfdt = view(tfdtBox);
  const baseDecodeTime = tfdtBox[0] === 1 ? tfdt.getUint32(4) * 2 ** 32 + tfdt.getUint32(8) : tfdt.getUint32(4);
  const trunBox = findBox(traf, ['trun'])[0]!.payload;
  const trun = view(trunBox);
  const version = trunBox[0]!;
  const flags = trun.getUint32(0) & 0xffffff;
  const count = trun.getUint32(4);
  let offset = 8;
  let dataOffset = 0;
  if (flags & 0x1) {
    dataOffset = trun.getInt32(offset);
    offset += 4;
  }
  let firstSampleFlags: number | undefined;
  if (flags & 0x4) {
    firstSampleFlags = trun.getUint32(offset);
    offset += 4;
  }
  const samples: ParsedSample[] = [];
  for (let i = 0; i < count; i++) {
    const sample: ParsedSample = {
      duration: defaults.duration ?? 0,
      size: defaults.size ?? 0,
      flags: (i === 0 ? firstSampleFlags : undefined) ?? defaults.flags ?? 0,
      compositionOffset: 0,
    };
    const next = (signed = false) => {
      const value = signed ? trun.getInt32(offset) : trun.getUint32(offset);
      offset += 4;
      return value;
    };
    if (flags & 0x100) sample.duration = next();
    if (flags & 0x200) sample.size = next();
    if (flags & 0x400) sample.flags = next();
    if (flags & 0x800) sample.compositionOffset = next(version === 1);
    samples.push(sample);
  }
  return { trackId: tfhd.getUint32(4), baseDecodeTime, dataOffset, samples };
}

/** Every moof/mdat pair in a segment or part. */
export function parseFragments(bytes: Uint8Array): ParsedFragment[] {
  const fragments: ParsedFragment[] = [];
  const boxes = listBoxes(bytes);
  for (let i = 0; i < boxes.length; i++) {
    const moof = boxes[i]!;
    if (moof.type !== 'moof') continue;
    const mdat = boxes[i + 1];
    if (!mdat || mdat.type !== 'mdat') throw new Error(`moof at ${moof.offset} is not followed by mdat`);
    fragments.push({
      sequenceNumber: view(findBox(moof.payload, ['mfhd'])[0]!.payload).getUint32(4),
      trafs: findBox(moof.payload, ['traf']).map((traf) => parseTraf(traf.payload)),
      moofOffset: moof.offset,
      mdat: mdat.payload,
    });
  }
  return fragments;
}
