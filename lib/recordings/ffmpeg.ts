// The ffmpeg runs recordings need, all stream copy (no transcoding) except the thumbnail:
// FLV -> fMP4 HLS (nginx-rtmp mode), HLS -> one MP4 (download), one JPEG frame. Each run has a
// timeout and keeps at most 4 KB of stderr for its error message (lib/ffmpeg.ts).
import { join } from 'node:path';
import { runFfmpeg, type FfmpegOptions } from '../ffmpeg';
import { PLAYLIST_FILE } from './layout';

/** nginx-rtmp's FLV -> the contract's layout in `outDir`: init.mp4, seg-NNNNN.m4s, a VOD index.m3u8. */
export function remuxFlvToHls(flvFile: string, outDir: string, options?: FfmpegOptions): Promise<void> {
  return runFfmpeg(
    [
      '-i', flvFile, '-map', '0', '-c', 'copy',
      '-f', 'hls', '-hls_segment_type', 'fmp4', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_list_size', '0',
      '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(outDir, 'seg-%05d.m4s'),
      join(outDir, PLAYLIST_FILE),
    ],
    options,
  );
}

/** The whole broadcast as one progressive MP4 (moov first, so browsers start playing at once). */
export function concatToMp4(folder: string, outFile: string, options?: FfmpegOptions): Promise<void> {
  return runFfmpeg(['-i', join(folder, PLAYLIST_FILE), '-map', '0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', outFile], options);
}

/**
 * One frame at `atSeconds`, 640 px wide (the live thumbnails' size). The seek is on the output
 * side: ffmpeg's input seek into an fMP4 HLS playlist finds no frame and still exits 0.
 */
export function grabFrame(folder: string, atSeconds: number, outFile: string, options?: FfmpegOptions): Promise<void> {
  return runFfmpeg(
    ['-i', join(folder, PLAYLIST_FILE), '-ss', atSeconds.toFixed(3), '-an', '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '5', '-update', '1', '-f', 'image2', outFile],
    { timeoutMs: 30_000, ...options },
  );
}
