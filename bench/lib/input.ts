// The publishers' input: a 720p30 ~2.5 Mbps H.264 + AAC FLV file, encoded once per GOP length
// and cached. Publishers send it with `-c copy -re`, so the bench measures the servers, not x264.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess } from '../../media-server/test/helpers/process.js';
import { withTimeout } from './time.js';

export interface InputSpec {
  gopSeconds: number;
  durationSeconds: number;
}

/** The exact encode, also printed in RESULTS.md. Noise keeps x264 near the target bitrate. */
export function inputEncodeArgs(spec: InputSpec, output: string): string[] {
  const gop = String(spec.gopSeconds * 30);
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30,noise=alls=8:allf=t',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(spec.durationSeconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-bf', '2',
    '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '2500k',
    '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
    '-f', 'flv', output,
  ];
}

export function inputPath(cacheDir: string, spec: InputSpec): string {
  return join(cacheDir, `input-720p30-2500k-gop${spec.gopSeconds}s-${spec.durationSeconds}s.flv`);
}

/** Returns the cached file, encoding it first if it does not exist yet (atomic rename). */
export async function ensureInput(cacheDir: string, spec: InputSpec): Promise<string> {
  const path = inputPath(cacheDir, spec);
  if (existsSync(path)) return path;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${path}.partial.flv`;
  const encoder = startProcess('ffmpeg', inputEncodeArgs(spec, partial));
  const code = await withTimeout(encoder.exited(), 600_000, 'input encode');
  if (code !== 0) throw new Error(`ffmpeg input encode failed (${code}):\n${encoder.output()}`);
  renameSync(partial, path);
  return path;
}
