// H.265/HEVC: the HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1) and the start of
// the SPS (ITU-T H.265 7.3.2.2) for resolution, plus the codec string of ISO/IEC 14496-15 E.3.
//
//   hvcC: version(8)=1 | profile_space(2) tier(1) profile_idc(5) | compat_flags(32)
//         | constraint_flags(48) | level_idc(8) | 4 bytes | chroma, depths | avgFrameRate(16)
//         | misc(8): ... lengthSizeMinusOne(2) | numOfArrays(8)
//         | { completeness(1) reserved(1) nal_type(6) | numNalus(16) | { len(16) nal }* }*

import { readU16, readU32 } from '../bytes/big-endian.js';
import { BitReader, CodecError, hex2, unescapeRbsp } from './bit-reader.js';
import type { VideoInfo } from './h264.js';

export interface HevcConfig {
  readonly profileSpace: number;
  readonly tier: number;
  readonly profile: number;
  readonly compatibilityFlags: number;
  readonly constraintFlags: Uint8Array;
  readonly level: number;
  readonly nalLengthSize: number;
  /** NAL units per type (32 VPS, 33 SPS, 34 PPS, ...). */
  readonly arrays: ReadonlyMap<number, readonly Uint8Array[]>;
}

const hevcSpsType = 33;

export function decodeHvcC(record: Uint8Array): HevcConfig {
  if (record.length < 23) throw new CodecError('buffer-too-short', `hvcC: ${record.length} bytes, need at least 23`);
  if (record[0] !== 1) throw new CodecError('invalid-record', `hvcC: configurationVersion ${record[0]} is not 1`);
  const arrays = new Map<number, Uint8Array[]>();
  let offset = 23;
  const arrayCount = record[22]!;
  for (let i = 0; i < arrayCount; i++) {
    if (offset + 3 > record.length) throw new CodecError('buffer-too-short', 'hvcC: NAL array header past the end');
    const type = record[offset]! & 0x3f;
    const count = readU16(record, offset + 1);
    offset += 3;
    const list = arrays.get(type) ?? [];
    for (let j = 0; j < count; j++) {
      if (offset + 2 > record.length) throw new CodecError('buffer-too-short', 'hvcC: NAL length past the end');
      const length = readU16(record, offset);
      if (offset + 2 + length > record.length) throw new CodecError('buffer-too-short', `hvcC: NAL of ${length} bytes past the end`);
      list.push(record.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    arrays.set(type, list);
  }
  return {
    profileSpace: record[1]! >>> 6,
    tier: (record[1]! >>> 5) & 1,
    profile: record[1]! & 0x1f,
    compatibilityFlags: readU32(record, 2),
    constraintFlags: record.slice(6, 12),
    level: record[12]!,
    nalLengthSize: (record[21]! & 0x03) + 1,
    arrays,
  };
}

function reverseBits32(value: number): number {
  let out = 0;
  for (let i = 0; i < 32; i++) out = out * 2 + ((value >>> i) & 1);
  return out;
}

/** ISO/IEC 14496-15 E.3: hvc1.<space><profile>.<compat reversed, hex>.<L|H><level>[.<constraint bytes>]. */
export function h265CodecString(config: HevcConfig): string {
  const space = ['', 'A', 'B', 'C'][config.profileSpace] ?? '';
  const compat = reverseBits32(config.compatibilityFlags).toString(16).toUpperCase();
  const parts = [`hvc1`, `${space}${config.profile}`, compat, `${config.tier === 1 ? 'H' : 'L'}${config.level}`];
  const constraints = Array.from(config.constraintFlags);
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  for (const byte of constraints) parts.push(hex2(byte).toUpperCase());
  return parts.join('.');
}

/** Width and height from an HEVC SPS NAL unit (2-byte NAL header included). */
export function parseH265SpsSize(nal: Uint8Array): { width: number; height: number } {
  if (nal.length < 3) throw new CodecError('buffer-too-short', `HEVC SPS: ${nal.length} bytes`);
  const reader = new BitReader(unescapeRbsp(nal.subarray(2)));
  reader.skipBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = reader.readBits(3);
  reader.skipBits(1); // sps_temporal_id_nesting_flag
  // profile_tier_level(1, maxSubLayersMinus1), H.265 7.3.3
  reader.skipBits(88 + 8);
  const subProfile: boolean[] = [];
  const subLevel: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    subProfile.push(reader.readFlag());
    subLevel.push(reader.readFlag());
  }
  if (maxSubLayersMinus1 > 0) reader.skipBits(2 * (8 - maxSubLayersMinus1));
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (subProfile[i]) reader.skipBits(88);
    if (subLevel[i]) reader.skipBits(8);
  }
  reader.readUe(); // sps_seq_parameter_set_id
  const chromaFormatIdc = reader.readUe();
  if (chromaFormatIdc === 3) reader.skipBits(1);
  let width = reader.readUe();
  let height = reader.readUe();
  if (reader.readFlag()) {
    const subWidth = chromaFormatIdc === 1 || chromaFormatIdc === 2 ? 2 : 1;
    const subHeight = chromaFormatIdc === 1 ? 2 : 1;
    width -= subWidth * (reader.readUe() + reader.readUe());
    height -= subHeight * (reader.readUe() + reader.readUe());
  }
  if (width <= 0 || height <= 0) throw new CodecError('invalid-record', `HEVC SPS: size ${width}x${height}`);
  return { width, height };
}

export function h265VideoInfo(record: Uint8Array): VideoInfo {
  const config = decodeHvcC(record);
  const sps = config.arrays.get(hevcSpsType)?.[0];
  if (!sps) throw new CodecError('invalid-record', 'hvcC: no SPS');
  return { codec: h265CodecString(config), ...parseH265SpsSize(sps) };
}
