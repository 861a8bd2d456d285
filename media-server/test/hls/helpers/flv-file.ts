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

/** Push-based FLV reader (file or `ffmpeg -f flv pipe:1`): bytes in, MediaMessages out. */
export class FlvStreamParser {
  private buffer = new Uint8Array(0);
  private headerDone = false;

  push(chunk: Uint8Array): MediaMessage[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    let offset = 0;
    if (!this.headerDone) {
      if (joined.length < 13) {
        this.buffer = joined;
        return [];
      }
      if (joined[0] !== 0x46 || joined[1] !== 0x4c || joined[2] !== 0x56) throw new Error('not an FLV stream');
      offset = new DataView(joined.buffer).getUint32(5) + 4; // header, then PreviousTagSize0
      this.headerDone = true;
    }
    const messages: MediaMessage[] = [];
    while (offset + 11 <= joined.length) {
      const type = joined[offset]!;
      const size = (joined[offset + 1]! << 16) | (joined[offset + 2]! << 8) | joined[offset + 3]!;
      if (offset + 11 + size + 4 > joined.length) break;
      const timestamp = ((joined[offset + 7]! << 24) | (joined[offset + 4]! << 16) | (joined[offset + 5]! << 8) | joined[offset + 6]!) >>> 0;
      const payload = joined.slice(offset + 11, offset + 11 + size);
      offset += 11 + size + 4;
      let message: MediaMessage | null = null;
      if (type === 9) message = videoTagToMedia(decodeVideoTag(payload), timestamp);
      else if (type === 8) message = audioTagToMedia(decodeAudioTag(payload), timestamp);
      else if (type === 18) message = scriptDataToMetadata(decodeScriptData(payload));
      if (message) messages.push(message);
    }
    this.buffer = joined.slice(offset);
    return messages;
  }
}

export async function readFlvFile(path: string): Promise<MediaMessage[]> {
  return new FlvStreamParser().push(new Uint8Array(await readFile(path)));
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
