// Reads an ffmpeg-made .flv file into the MediaMessages ingest would produce for the same
// publish (the tag payloads of an FLV file are the RTMP message payloads), using the ingest's
// own FLV tag decoders. Test input for packaging before/without a live RTMP session.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { audioTagToMedia, decodeAudioTag } from '../../../src/flv/audio-tag.js';
import { decodeScriptData, scriptDataToMetadata } from '../../../src/flv/script-data.js';
import { decodeVideoTag, videoTagToMedia } from '../../../src/flv/video-tag.js';
import type { MediaMessage } from '../../../src/media/types.js';

export async function readFlvFile(path: string): Promise<MediaMessage[]> {
  const bytes = new Uint8Array(await readFile(path));
  if (bytes.length < 13 || bytes[0] !== 0x46 || bytes[1] !== 0x4c || bytes[2] !== 0x56) throw new Error(`${path} is not an FLV file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = view.getUint32(5) + 4; // header, then PreviousTagSize0
  const messages: MediaMessage[] = [];
  while (offset + 11 <= bytes.length) {
    const type = bytes[offset]!;
    const size = (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const timestamp = ((bytes[offset + 7]! << 24) | (bytes[offset + 4]! << 16) | (bytes[offset + 5]! << 8) | bytes[offset + 6]!) >>> 0;
    const payload = bytes.slice(offset + 11, offset + 11 + size);
    if (payload.length < size) break;
    offset += 11 + size + 4;
    let message: MediaMessage | null = null;
    if (type === 9) message = videoTagToMedia(decodeVideoTag(payload), timestamp);
    else if (type === 8) message = audioTagToMedia(decodeAudioTag(payload), timestamp);
    else if (type === 18) message = scriptDataToMetadata(decodeScriptData(payload));
    if (message) messages.push(message);
  }
  return messages;
}

export interface EncodeOptions {
  durationSeconds: number;
  gop?: number;
  fps?: number;
  size?: string;
  audio?: boolean;
  video?: boolean;
  /** x264 B-frames (composition offsets); 0 by default like -tune zerolatency. */
  bframes?: number;
  extraArgs?: string[];
}

/** Encodes a small test pattern to an FLV file with ffmpeg (not live-paced). */
export async function encodeTestFlv(path: string, options: EncodeOptions): Promise<void> {
  const { durationSeconds, fps = 30, gop = fps, size = '320x240', audio = true, video = true, bframes = 0 } = options;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
  if (video) args.push('-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`);
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  args.push('-t', String(durationSeconds));
  if (video) {
    args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0');
    args.push('-bf', String(bframes), '-b:v', '300k');
  }
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k', '-ar', '44100');
  args.push(...(options.extraArgs ?? []), '-f', 'flv', path);
  await promisify(execFile)('ffmpeg', args);
}
