// Turns an ffmpeg-made fragmented MP4 (HEVC or AV1, which ffmpeg 5.1 cannot put in FLV) into the
// MediaMessages an Enhanced RTMP publisher would produce: the hvcC/av1C record as video-config,
// then one frame per sample with millisecond timestamps and composition offsets.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { findBox, listBoxes } from '../../../src/mp4/box.js';
import type { MediaMessage, VideoCodec } from '../../../src/media/types.js';
import { parseTraf } from '../../mp4/parse.js';

const entries: Record<VideoCodec, [string, string]> = { h264: ['avc1', 'avcC'], h265: ['hvc1', 'hvcC'], av1: ['av01', 'av1C'] };

export async function encodeFragmentedMp4(path: string, codec: 'h265' | 'av1', durationSeconds: number): Promise<void> {
  const encoder = codec === 'h265' ? ['-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', 'log-level=error:keyint=30:min-keyint=30:bframes=2'] : ['-c:v', 'libsvtav1', '-preset', '12', '-g', '30'];
  await promisify(execFile)('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-t', String(durationSeconds), '-pix_fmt', 'yuv420p',
    ...encoder, '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', path,
  ]);
}

export async function readFragmentedMp4(path: string, codec: 'h265' | 'av1'): Promise<MediaMessage[]> {
  const bytes = new Uint8Array(await readFile(path));
  const [entry, config] = entries[codec];
  const record = findBox(bytes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', entry, config])[0];
  const mdhd = findBox(bytes, ['moov', 'trak', 'mdia', 'mdhd'])[0];
  if (!record || !mdhd) throw new Error(`${path}: no ${entry}/${config}`);
  const timescale = new DataView(mdhd.payload.buffer, mdhd.payload.byteOffset).getUint32(12);
  const messages: MediaMessage[] = [{ type: 'video-config', codec, record: record.payload.slice() }];
  for (const moof of listBoxes(bytes).filter((b) => b.type === 'moof')) {
    const traf = parseTraf(findBox(moof.payload, ['traf'])[0]!.payload);
    let offset = moof.offset + traf.dataOffset;
    let dts = traf.baseDecodeTime;
    for (const sample of traf.samples) {
      messages.push({
        type: 'video',
        timestamp: Math.round((dts * 1000) / timescale),
        compositionOffset: Math.round((sample.compositionOffset * 1000) / timescale),
        keyframe: (sample.flags & 0x00010000) === 0,
        data: bytes.slice(offset, offset + sample.size),
      });
      offset += sample.size;
      dts += sample.duration;
    }
  }
  return messages;
}
