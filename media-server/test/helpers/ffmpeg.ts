// A real RTMP publisher: ffmpeg encoding a small test pattern (or copying a file) to an RTMP URL.
import { startProcess, type ManagedProcess } from './process.js';

export interface PublishOptions {
  /** Full RTMP URL including app and stream name, e.g. rtmp://127.0.0.1:PORT/live/key. */
  url: string;
  /** Seconds of media to send; omit to publish until stopped. */
  durationSeconds?: number;
  /** Keyframe interval in frames (default 30 = 1 s at 30 fps). */
  gop?: number;
  size?: string;
  fps?: number;
  audio?: boolean;
  video?: boolean;
  /** Extra ffmpeg output options placed before `-f flv`. */
  extraOutputArgs?: string[];
}

/**
 * Publishes a live-paced (-re) libx264/AAC test pattern. Small and ultrafast by default so that
 * several publishers fit on 2 cores next to the system under test.
 */
export function publishTestPattern(options: PublishOptions): ManagedProcess {
  const { url, size = '320x240', fps = 30, gop = fps, audio = true, video = true } = options;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re'];
  if (video) args.push('-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`);
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  if (options.durationSeconds !== undefined) args.push('-t', String(options.durationSeconds));
  if (video) {
    args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p');
    args.push('-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-b:v', '500k');
  }
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k', '-ar', '44100');
  args.push(...(options.extraOutputArgs ?? []), '-f', 'flv', url);
  return startProcess('ffmpeg', args);
}
