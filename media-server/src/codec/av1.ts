// AV1: the AV1CodecConfigurationRecord (AV1 in ISOBMFF, 2.3) and the sequence header OBU it
// carries (AV1 spec 5.5) for resolution; codec string per AV1-ISOBMFF Annex A (av01.P.LLT.DD).
//
//   av1C: marker(1)=1 version(7)=1 | seq_profile(3) seq_level_idx_0(5)
//         | tier(1) high_bitdepth(1) twelve_bit(1) mono(1) sub_x(1) sub_y(1) position(2)
//         | reserved(3) delay_present(1) delay(4) | configOBUs...

import { BitReader, CodecError } from './bit-reader.js';
import type { VideoInfo } from './h264.js';

export interface Av1Config {
  readonly profile: number;
  readonly level: number;
  readonly tier: number;
  readonly bitDepth: number;
  readonly configObus: Uint8Array;
}

export function decodeAv1C(record: Uint8Array): Av1Config {
  if (record.length < 4) throw new CodecError('buffer-too-short', `av1C: ${record.length} bytes, need at least 4`);
  if (record[0] !== 0x81) throw new CodecError('invalid-record', `av1C: marker/version byte 0x${record[0]!.toString(16)} is not 0x81`);
  const highBitdepth = (record[2]! >>> 6) & 1;
  const twelveBit = (record[2]! >>> 5) & 1;
  return {
    profile: record[1]! >>> 5,
    level: record[1]! & 0x1f,
    tier: record[2]! >>> 7,
    bitDepth: highBitdepth ? (twelveBit ? 12 : 10) : 8,
    configObus: record.subarray(4),
  };
}

export function av1CodecString(config: Av1Config): string {
  return `av01.${config.profile}.${String(config.level).padStart(2, '0')}${config.tier ? 'H' : 'M'}.${String(config.bitDepth).padStart(2, '0')}`;
}

function readLeb128(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    if (offset + i >= bytes.length) throw new CodecError('buffer-too-short', 'leb128 past the end');
    const byte = bytes[offset + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [value, offset + i + 1];
  }
  throw new CodecError('invalid-record', 'leb128 longer than 8 bytes');
}

const obuSequenceHeader = 1;

/** Finds the sequence header OBU in a run of low-overhead OBUs and reads max_frame_width/height. */
export function parseAv1SequenceHeaderSize(obus: Uint8Array): { width: number; height: number } {
  let offset = 0;
  while (offset < obus.length) {
    const header = obus[offset]!;
    const type = (header >>> 3) & 0x0f;
    const hasExtension = (header & 0x04) !== 0;
    const hasSize = (header & 0x02) !== 0;
    let cursor = offset + 1 + (hasExtension ? 1 : 0);
    let size = obus.length - cursor;
    if (hasSize) [size, cursor] = readLeb128(obus, cursor);
    if (cursor + size > obus.length) throw new CodecError('buffer-too-short', `OBU of ${size} bytes past the end`);
    if (type === obuSequenceHeader) return readSequenceHeader(new BitReader(obus.subarray(cursor, cursor + size)));
    offset = cursor + size;
  }
  throw new CodecError('invalid-record', 'no AV1 sequence header OBU');
}

function readSequenceHeader(reader: BitReader): { width: number; height: number } {
  reader.skipBits(3); // seq_profile
  reader.skipBits(1); // still_picture
  const reduced = reader.readFlag();
  if (reduced) {
    reader.skipBits(5);
  } else {
    let decoderModelInfoPresent = false;
    let bufferDelayLength = 0;
    if (reader.readFlag()) {
      // timing_info()
      reader.skipBits(64);
      if (reader.readFlag()) reader.readUvlc();
      decoderModelInfoPresent = reader.readFlag();
      if (decoderModelInfoPresent) {
        bufferDelayLength = reader.readBits(5) + 1;
        reader.skipBits(32 + 5 + 5);
      }
    }
    const initialDisplayDelayPresent = reader.readFlag();
    const operatingPoints = reader.readBits(5) + 1;
    for (let i = 0; i < operatingPoints; i++) {
      reader.skipBits(12);
      const level = reader.readBits(5);
      if (level > 7) reader.skipBits(1);
      if (decoderModelInfoPresent && reader.readFlag()) reader.skipBits(2 * bufferDelayLength + 1);
      if (initialDisplayDelayPresent && reader.readFlag()) reader.skipBits(4);
    }
  }
  const widthBits = reader.readBits(4) + 1;
  const heightBits = reader.readBits(4) + 1;
  return { width: reader.readBits(widthBits) + 1, height: reader.readBits(heightBits) + 1 };
}

export function av1VideoInfo(record: Uint8Array): VideoInfo {
  const config = decodeAv1C(record);
  return { codec: av1CodecString(config), ...parseAv1SequenceHeaderSize(config.configObus) };
}
