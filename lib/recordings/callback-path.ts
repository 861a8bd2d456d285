// on_record_done's `path` is untrusted (CONTRACT-15 item 8): it is accepted only when it resolves,
// symlinks followed, to a file of the expected layout inside the configured folder.
//   bundled:    <RECORD_DIR>/<app>/<name>/<recordingId>/index.m3u8
//   nginx-rtmp: <RECORD_PATH>/<name>[-<unique>].flv   (record_unique on)
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { isSlug } from '../live/slug';
import { PLAYLIST_FILE, parseFolder, type RecordingRef } from './layout';

export type CallbackFile = { kind: 'playlist'; ref: RecordingRef; folder: string } | { kind: 'flv'; file: string; name: string; unique: string | null };

const FLV_PATTERN = /^([a-z0-9_]{1,64})(?:-([0-9]{1,20}))?\.flv$/;
const MAX_PATH = 1024;

async function resolvedInside(root: string, path: string): Promise<{ real: string; rel: string } | null> {
  if (!isAbsolute(path) || path.length > MAX_PATH || path.includes('\0')) return null;
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
  } catch {
    return null; // missing file or root: nothing to register
  }
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return { real, rel: rel.split(sep).join('/') };
}

/** The bundled recorder's playlist, or null when `path` is anything else. */
export async function resolveRecordedPlaylist(recordDir: string, path: string): Promise<CallbackFile | null> {
  const inside = await resolvedInside(recordDir, path);
  if (!inside || basename(inside.rel) !== PLAYLIST_FILE) return null;
  const ref = parseFolder(dirname(inside.rel));
  return ref ? { kind: 'playlist', ref, folder: dirname(inside.real) } : null;
}

/** nginx-rtmp's finished FLV directly in RECORD_PATH, or null. */
export async function resolveRecordedFlv(recordPath: string, path: string): Promise<CallbackFile | null> {
  const inside = await resolvedInside(recordPath, path);
  if (!inside || inside.rel.includes('/')) return null;
  const match = FLV_PATTERN.exec(inside.rel);
  const name = match?.[1];
  if (!match || name === undefined || !isSlug(name)) return null;
  return { kind: 'flv', file: inside.real, name, unique: match[2] ?? null };
}
