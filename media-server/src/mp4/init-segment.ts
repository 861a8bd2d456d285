// The CMAF/fMP4 initialization segment (ISO/IEC 14496-12, ISO/IEC 23000-19): no samples, one
// trak per track, and mvex/trex announcing that the media comes in movie fragments.
//
//   ftyp
//   moov
//   ├── mvhd
//   ├── trak (one per track: video id 1, audio id 2)
//   │   ├── tkhd
//   │   └── mdia
//   │       ├── mdhd
//   │       ├── hdlr              'vide' | 'soun'
//   │       └── minf
//   │           ├── vmhd | smhd
//   │           ├── dinf
//   │           │   └── dref
//   │           │       └── url
//   │           └── stbl
//   │               ├── stsd
//   │               │   └── avc1 (avcC) | hvc1 (hvcC) | av01 (av1C) | mp4a (esds)
//   │               ├── stts      (empty)
//   │               ├── stsc      (empty)
//   │               ├── stsz      (empty)
//   │               └── stco      (empty)
//   └── mvex
//       └── trex (one per track)

import type { VideoCodec } from '../media/types.js';
import { box, concat, fourcc, fullBox, u16, u32, u8, zeros } from './box.js';

export interface VideoTrack {
  readonly kind: 'video';
  readonly id: number;
  readonly timescale: number;
  readonly codec: VideoCodec;
  /** avcC / hvcC / av1C record exactly as the publisher sent it. */
  readonly record: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface AudioTrack {
  readonly kind: 'audio';
  readonly id: number;
  /** The AAC sampling rate: one tick per PCM sample. */
  readonly timescale: number;
  /** AudioSpecificConfig. */
  readonly config: Uint8Array;
  readonly channels: number;
}

export type Track = VideoTrack | AudioTrack;

const unityMatrix = concat([u32(0x00010000), u32(0), u32(0), u32(0), u32(0x00010000), u32(0), u32(0), u32(0), u32(0x40000000)]);

export function ftyp(): Uint8Array {
  // CMAF (ISO/IEC 23000-19 7.2): 'cmfc' among the compatible brands; 'iso6' for fragments.
  return box('ftyp', fourcc('iso6'), u32(0), fourcc('iso6'), fourcc('cmfc'), fourcc('isom'), fourcc('mp41'));
}

export function mvhd(nextTrackId: number): Uint8Array {
  return fullBox(
    'mvhd', 0, 0,
    u32(0), u32(0), // creation/modification time
    u32(1000), u32(0), // timescale, duration (unknown: fragmented)
    u32(0x00010000), u16(0x0100), zeros(10), // rate 1.0, volume 1.0, reserved
    unityMatrix, zeros(24), // matrix, pre_defined
    u32(nextTrackId),
  );
}

export function tkhd(track: Track): Uint8Array {
  const video = track.kind === 'video';
  return fullBox(
    'tkhd', 0, 0x000003, // track_enabled | track_in_movie
    u32(0), u32(0), u32(track.id), u32(0), u32(0), // times, track_ID, reserved, duration
    zeros(8), u16(0), u16(0), // reserved, layer, alternate_group
    u16(video ? 0 : 0x0100), u16(0), // volume, reserved
    unityMatrix,
    u32(video ? track.width * 0x10000 : 0), u32(video ? track.height * 0x10000 : 0),
  );
}

export function mdhd(timescale: number): Uint8Array {
  // language 'und' packed as three 5-bit letters.
  return fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(0), u16(0x55c4), u16(0));
}

export function hdlr(kind: Track['kind']): Uint8Array {
  const name = kind === 'video' ? 'VideoHandler' : 'SoundHandler';
  return fullBox('hdlr', 0, 0, u32(0), fourcc(kind === 'video' ? 'vide' : 'soun'), zeros(12), new TextEncoder().encode(name), u8(0));
}

export function vmhd(): Uint8Array {
  return fullBox('vmhd', 0, 1, zeros(8));
}

export function smhd(): Uint8Array {
  return fullBox('smhd', 0, 0, u16(0), u16(0));
}

export function dinf(): Uint8Array {
  return box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
}

const videoEntryType: Readonly<Record<VideoCodec, string>> = { h264: 'avc1', h265: 'hvc1', av1: 'av01' };
const videoConfigType: Readonly<Record<VideoCodec, string>> = { h264: 'avcC', h265: 'hvcC', av1: 'av1C' };

/** VisualSampleEntry (14496-12 12.1.3) with the decoder configuration box inside. */
export function visualSampleEntry(track: VideoTrack): Uint8Array {
  const compressorName = zeros(32);
  return box(
    videoEntryType[track.codec],
    zeros(6), u16(1), // reserved, data_reference_index
    zeros(16), // pre_defined, reserved
    u16(track.width), u16(track.height),
    u32(0x00480000), u32(0x00480000), // 72 dpi
    u32(0), u16(1), compressorName, // reserved, frame_count
    u16(0x0018), u16(0xffff), // depth, pre_defined = -1
    box(videoConfigType[track.codec], track.record),
  );
}

/** MPEG-4 descriptor header (14496-1 8.3.3): tag, then the size as 7-bit groups. */
function descriptor(tag: number, ...payload: readonly Uint8Array[]): Uint8Array {
  const body = concat(payload);
  const sizeBytes: number[] = [];
  let size = body.length;
  do {
    sizeBytes.unshift(size & 0x7f);
    size >>>= 7;
  } while (size > 0);
  for (let i = 0; i < sizeBytes.length - 1; i++) sizeBytes[i]! |= 0x80;
  return concat([u8(tag), Uint8Array.from(sizeBytes), body]);
}

export function esds(track: AudioTrack): Uint8Array {
  const decoderSpecificInfo = descriptor(0x05, track.config);
  const decoderConfig = descriptor(
    0x04,
    u8(0x40), // objectTypeIndication: Audio ISO/IEC 14496-3
    u8((0x05 << 2) | 1), // streamType audio, upStream 0, reserved 1
    Uint8Array.of(0, 0, 0), u32(0), u32(0), // bufferSizeDB, maxBitrate, avgBitrate
    decoderSpecificInfo,
  );
  const esDescriptor = descriptor(0x03, u16(track.id), u8(0), decoderConfig, descriptor(0x06, u8(0x02)));
  return fullBox('esds', 0, 0, esDescriptor);
}

/** AudioSampleEntry (14496-12 12.2.3); samplerate is 16.16 and so capped at 65535. */
export function mp4a(track: AudioTrack): Uint8Array {
  return box(
    'mp4a',
    zeros(6), u16(1),
    zeros(8), // reserved
    u16(track.channels || 2), u16(16), // channelcount, samplesize
    u16(0), u16(0), // pre_defined, reserved
    u32(Math.min(track.timescale, 0xffff) * 0x10000),
    esds(track),
  );
}

export function stbl(track: Track): Uint8Array {
  const entry = track.kind === 'video' ? visualSampleEntry(track) : mp4a(track);
  return box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), entry),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );
}

export function trak(track: Track): Uint8Array {
  const mediaHeader = track.kind === 'video' ? vmhd() : smhd();
  return box('trak', tkhd(track), box('mdia', mdhd(track.timescale), hdlr(track.kind), box('minf', mediaHeader, dinf(), stbl(track))));
}

export function trex(trackId: number): Uint8Array {
  return fullBox('trex', 0, 0, u32(trackId), u32(1), u32(0), u32(0), u32(0));
}

export function encodeInitSegment(tracks: readonly Track[]): Uint8Array {
  const nextTrackId = Math.max(0, ...tracks.map((track) => track.id)) + 1;
  return concat([ftyp(), box('moov', mvhd(nextTrackId), ...tracks.map(trak), box('mvex', ...tracks.map((track) => trex(track.id))))]);
}
