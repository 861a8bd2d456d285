// Recordings for tests, made by real ffmpeg:
//   await makeRecordingFolder(dir, 20)             the contract layout (init.mp4, seg-NNNNN.m4s, VOD index.m3u8)
//   await makeRecordingFolder(dir, 6, { finished: false })   as a crash leaves it (EVENT, no ENDLIST)
//   await makeFlv(file, 20)                        what nginx-rtmp's `record all` writes
//   recordDoneRequest(path, fields)                the bytes nginx-rtmp sends to on_record_done (HTTP/1.0 form)
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const SOURCE = (seconds: number) => [
  '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=30:duration=${seconds}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
  '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
  '-c:a', 'aac', '-b:a', '64k',
];

export async function makeRecordingFolder(dir: string, seconds: number, options: { finished?: boolean } = {}): Promise<void> {
  await run('nice', ['-n', '19', 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', ...SOURCE(seconds),
    '-f', 'hls', '-hls_segment_type', 'fmp4', '-hls_time', '2', '-hls_list_size', '0', '-hls_playlist_type', options.finished === false ? 'event' : 'vod',
    '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(dir, 'seg-%05d.m4s'), join(dir, 'index.m3u8')]);
  if (options.finished === false) {
    const file = join(dir, 'index.m3u8');
    await writeFile(file, (await readFile(file, 'utf8')).replace('#EXT-X-ENDLIST\n', ''));
  }
}

/**
 * The bundled recorder's form after a reconnect within the grace period: two runs of `seconds`
 * each in one folder, the second after EXT-X-DISCONTINUITY with its own EXT-X-MAP (init-2.mp4).
 */
export async function makeReconnectedRecordingFolder(dir: string, seconds: number): Promise<void> {
  const part = async (init: string, prefix: string, playlist: string) =>
    run('nice', ['-n', '19', 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', ...SOURCE(seconds),
      '-f', 'hls', '-hls_segment_type', 'fmp4', '-hls_time', '2', '-hls_list_size', '0', '-hls_playlist_type', 'vod',
      '-hls_fmp4_init_filename', init, '-hls_segment_filename', join(dir, `${prefix}-%05d.m4s`), join(dir, playlist)]);
  await part('init.mp4', 'sega', 'a.m3u8');
  await part('init-2.mp4', 'segb', 'b.m3u8');
  const [a, b] = await Promise.all([readFile(join(dir, 'a.m3u8'), 'utf8'), readFile(join(dir, 'b.m3u8'), 'utf8')]);
  const body = (text: string) => text.slice(text.indexOf('#EXT-X-MAP')).replace('#EXT-X-ENDLIST\n', '');
  const head = a.slice(0, a.indexOf('#EXT-X-MAP'));
  await writeFile(join(dir, 'index.m3u8'), `${head}${body(a)}#EXT-X-DISCONTINUITY\n${body(b)}#EXT-X-ENDLIST\n`);
  await Promise.all([rm(join(dir, 'a.m3u8')), rm(join(dir, 'b.m3u8'))]);
}

export async function makeFlv(file: string, seconds: number): Promise<void> {
  await run('nice', ['-n', '19', 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', ...SOURCE(seconds), '-f', 'flv', file]);
}

/** ffprobe's view of a media file: codec names and duration in seconds. */
export async function probe(file: string): Promise<{ codecs: string[]; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { streams: Array<{ codec_name: string }>; format: { duration: string } };
  return { codecs: json.streams.map((s) => s.codec_name).sort(), duration: Number(json.format.duration) };
}

/** nginx-rtmp's record_done request (field order as ngx_rtmp_notify sends it), as raw HTTP/1.0 bytes. */
export function recordDoneRequest(target: string, fields: Record<string, string>): Buffer {
  const form = new URLSearchParams({
    app: 'onair_hls', flashver: 'FMLE/3.0 (compatible; Lavf59.27', swfurl: '', tcurl: 'rtmp://127.0.0.1:1935/onair_hls', pageurl: '',
    addr: '127.0.0.1', clientid: '7', call: 'record_done', recorder: '', name: '', path: '',
    ...fields,
  }).toString();
  return Buffer.from(
    `POST ${target} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\n\r\n${form}`,
  );
}
