// The on-disk layout of recordings (CONTRACT-15 items 2, 5, 7) and the name rules that make every
// path built from a callback or a URL safe: a component that does not match is never joined.
//
//   <RECORD_DIR>/<app>/<public name>/<recordingId>/index.m3u8   + init/media segments, download.mp4, thumbnail.jpg
//
// lib/recordings, one job per file:
//   layout.ts            names and folder paths (this file)
//   signed-url.ts        the HMAC token of /recordings/<token>/... URLs (sign, verify, parse; pure)
//   playlist.ts          reads a recorded media playlist (duration, files, finished?; pure)
//   callback-path.ts     turns on_record_done's untrusted `path` into a folder inside RECORD_DIR
//   record-done.ts       on_record_done: parse, validate, remux an FLV, register, apply retention
//   record-decision.ts   X-OnAir-Record for on_publish (channel records, disk has room)
//   register.ts          the Broadcast row for a finished folder (idempotent)
//   retention.ts         which broadcasts age/size limits remove (pure), and applying it
//   delete-broadcast.ts  a row and its files, at once;  manage.ts  the owner's list/rename/visibility/delete
//   access.ts            who may watch, the channel list, signed URLs;  watch-urls.ts  the same for a request
//   download.ts          download.mp4 on first request;  ffmpeg.ts  the ffmpeg runs, with timeouts
//   disk.ts, folder-size.ts  free space (statfs) and a folder's bytes
//   settings.ts          site-wide limits: env first, then the admin's setting
//   runtime.ts           the production wiring and the hourly retention timer
import { isSlug } from '../live/slug';

/** RTMP application names, as RTMP_APP allows them. */
export const APP_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** A recording's folder name: time-sortable base36 (epoch ms + random) from the media server. */
export const RECORDING_ID_PATTERN = /^[a-z0-9]{8,32}$/;
/** Init sections and media segments, as the recorder names them. */
export const SEGMENT_FILE_PATTERN = /^[a-z0-9-]{1,64}\.(mp4|m4s)$/;

export const PLAYLIST_FILE = 'index.m3u8';
export const DOWNLOAD_FILE = 'download.mp4';
export const THUMBNAIL_FILE = 'thumbnail.jpg';

/** The nginx-rtmp internal application that records (never the public `live`, where a name can be a key). */
export const NGINX_RECORD_APP = 'onair_hls';

export interface RecordingRef {
  app: string;
  /** The public stream name (the channel slug). */
  name: string;
  recordingId: string;
}

export function isRecordingRef(ref: RecordingRef): boolean {
  return APP_PATTERN.test(ref.app) && ref.app !== '.' && ref.app !== '..' && isSlug(ref.name) && RECORDING_ID_PATTERN.test(ref.recordingId);
}

/** Files a signed URL may name: the playlist, segments, the download. */
export function isServableFile(file: string): boolean {
  return file === PLAYLIST_FILE || SEGMENT_FILE_PATTERN.test(file);
}

/** `<app>/<name>/<recordingId>`: Broadcast.folder, relative to RECORD_DIR. */
export function folderOf(ref: RecordingRef): string {
  if (!isRecordingRef(ref)) throw new Error('not a recording reference');
  return `${ref.app}/${ref.name}/${ref.recordingId}`;
}

/** The inverse of folderOf; null for anything folderOf would not have produced. */
export function parseFolder(folder: string): RecordingRef | null {
  const parts = folder.split('/');
  if (parts.length !== 3) return null;
  const [app = '', name = '', recordingId = ''] = parts;
  const ref = { app, name, recordingId };
  return isRecordingRef(ref) ? ref : null;
}
