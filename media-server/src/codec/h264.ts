// H.264: the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) and the parts of the
// sequence parameter set (ITU-T H.264 7.3.2.1.1) a packager needs: resolution for RESOLUTION
// and tkhd/avc1, profile/level for the RFC 6381 codec string `avc1.PPCCLL`.
//
//   avcC: version(8)=1 | profile(8) | compat(8) | level(8) | 111111 lengthSizeMinusOne(2)
//         | 111 numSPS(5) | { len(16) sps }* | numPPS(8) | { len(16) pps }* | [high-profile ext]

import { readU16 } from '../bytes/big-endian.js';
import { BitReader, CodecError, hex2, unescapeRbsp } from './bit-reader.js';

export interface AvcConfig {
  readonly profile: number;
  readonly compatibility: number;
  readonly level: number;
  readonly nalLengthSize: number;
  readonly sps: readonly Uint8Array[];
  readonly pps: readonly Uint8Array[];
}

export interface VideoInfo {
  /** RFC 6381 codec string. */
  readonly codec: string;
  readonly width: number;
  readonly height: number;
}

function lengthPrefixed(bytes: Uint8Array, offset: number, what: string): [Uint8Array, number] {
  if (offset + 2 > bytes.length) throw new CodecError('buffer-too-short', `avcC: ${what} length at ${offset} past the end`);
  const length = readU16(bytes, offset);
  if (offset + 2 + length > bytes.length) throw new CodecError('buffer-too-short', `avcC: ${what} of ${length} bytes past the end`);
  return [bytes.subarray(offset + 2, offset + 2 + length), offset + 2 + length];
}

export function decodeAvcC(record: Uint8Array): AvcConfig {
  if (record.length < 7) throw new CodecError('buffer-too-short', `avcC: ${record.length} bytes, need at least 7`);
  if (record[0] !== 1) throw new CodecError('invalid-record', `avcC: configurationVersion ${record[0]} is not 1`);
  const sps: Uint8Array[] = [];
  const pps: Uint8Array[] = [];
  let offset = 6;
  const spsCount = record[5]! & 0x1f;
  for (let i = 0; i < spsCount; i++) {
    const [nal, next] = lengthPrefixed(record, offset, 'SPS');
    sps.push(nal);
    offset = next;
  }
  if (offset >= record.length) throw new CodecError('buffer-too-short', 'avcC: numOfPictureParameterSets past the end');
  const ppsCount = record[offset]!;
  offset++;
  for (let i = 0; i < ppsCount; i++) {
    const [nal, next] = lengthPrefixed(record, offset, 'PPS');
    pps.push(nal);
    offset = next;
  }
  if (sps.length === 0) throw new CodecError('invalid-record', 'avcC: no SPS');
  return {
    profile: record[1]!,
    compatibility: record[2]!,
    level: record[3]!,
    nalLengthSize: (record[4]! & 0x03) + 1,
    sps,
    pps,
  };
}

export interface H264Sps {
  readonly profile: number;
  readonly compatibility: number;
  readonly level: number;
  readonly width: number;
  readonly height: number;
}

function skipScalingList(reader: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let i = 0; i < size; i++) {
    if (next !== 0) next = (last + reader.readSe() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

const highProfiles = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Parses an SPS NAL unit (with its one-byte NAL header) far enough to get the cropped size. */
export function parseH264Sps(nal: Uint8Array): H264Sps {
  if (nal.length < 4) throw new CodecError('buffer-too-short', `SPS: ${nal.length} bytes`);
  if ((nal[0]! & 0x1f) !== 7) throw new CodecError('invalid-record', `SPS: NAL type ${nal[0]! & 0x1f} is not 7`);
  const reader = new BitReader(unescapeRbsp(nal.subarray(1)));
  const profile = reader.readBits(8);
  const compatibility = reader.readBits(8);
  const level = reader.readBits(8);
  reader.readUe(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  if (highProfiles.has(profile)) {
    chromaFormatIdc = reader.readUe();
    if (chromaFormatIdc === 3) separateColourPlane = reader.readFlag();
    reader.readUe(); // bit_depth_luma_minus8
    reader.readUe(); // bit_depth_chroma_minus8
    reader.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (reader.readFlag()) {
      const lists = chromaFormatIdc === 3 ? 12 : 8;
      for (let i = 0; i < lists; i++) {
        if (reader.readFlag()) skipScalingList(reader, i < 6 ? 16 : 64);
      }
    }
  }
  reader.readUe(); // log2_max_frame_num_minus4
  const picOrderCntType = reader.readUe();
  if (picOrderCntType === 0) {
    reader.readUe();
  } else if (picOrderCntType === 1) {
    reader.skipBits(1);
    reader.readSe();
    reader.readSe();
    const cycle = reader.readUe();
    if (cycle > 255) throw new CodecError('invalid-record', `SPS: ${cycle} ref frames in POC cycle`);
    for (let i = 0; i < cycle; i++) reader.readSe();
  }
  reader.readUe(); // max_num_ref_frames
  reader.skipBits(1); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = reader.readUe() + 1;
  const heightInMapUnits = reader.readUe() + 1;
  const frameMbsOnly = reader.readFlag();
  if (!frameMbsOnly) reader.skipBits(1); // mb_adaptive_frame_field_flag
  reader.skipBits(1); // direct_8x8_inference_flag
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (reader.readFlag()) {
    crop = { left: reader.readUe(), right: reader.readUe(), top: reader.readUe(), bottom: reader.readUe() };
  }
  // H.264 7.4.2.1.1: crop units depend on chroma subsampling and field coding.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidth = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeight = chromaArrayType === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidth;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeight) * (frameMbsOnly ? 1 : 2);
  const width = widthInMbs * 16 - cropUnitX * (crop.left + crop.right);
  const height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16 - cropUnitY * (crop.top + crop.bottom);
  if (width <= 0 || height <= 0) throw new CodecError('invalid-record', `SPS: cropped size ${width}x${height}`);
  return { profile, compatibility, level, width, height };
}

/** RFC 6381 3.3: avc1.PPCCLL from profile_idc, constraint flags and level_idc. */
export function h264CodecString(sps: Pick<H264Sps, 'profile' | 'compatibility' | 'level'>): string {
  return `avc1.${hex2(sps.profile)}${hex2(sps.compatibility)}${hex2(sps.level)}`;
}

export function h264VideoInfo(record: Uint8Array): VideoInfo {
  const config = decodeAvcC(record);
  const sps = parseH264Sps(config.sps[0]!);
  return { codec: h264CodecString(sps), width: sps.width, height: sps.height };
}
