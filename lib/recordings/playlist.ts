// Reads a recorded media playlist (RFC 8216): its duration (the EXTINF sum), the files it names
// and whether it is finished. Pure. Only what the recorder writes is accepted: relative file names
// in the recording's own folder, so registering a playlist can never reach outside it.
import { SEGMENT_FILE_PATTERN } from './layout';

export interface RecordedPlaylist {
  durationMs: number;
  /** Media segments, in order. */
  segments: string[];
  /** EXT-X-MAP URIs (one, or one per discontinuity). */
  maps: string[];
  /** EXT-X-ENDLIST present. */
  ended: boolean;
  /** Start time of each segment in ms, same order as `segments`. */
  segmentStartsMs: number[];
}

export class PlaylistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaylistError';
  }
}

/** A playlist of a 24 h broadcast with 1 s segments is ~3 MB; anything much bigger is not ours. */
export const MAX_PLAYLIST_BYTES = 8 * 1024 * 1024;

export function parseRecordedPlaylist(text: string): RecordedPlaylist {
  if (text.length > MAX_PLAYLIST_BYTES) throw new PlaylistError('playlist too large');
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') throw new PlaylistError('not an M3U8 playlist');
  const segments: string[] = [];
  const maps: string[] = [];
  const segmentStartsMs: number[] = [];
  let totalMs = 0;
  let pendingMs: number | null = null;
  let ended = false;
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXTINF:')) {
      const seconds = Number(line.slice('#EXTINF:'.length).split(',')[0]);
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new PlaylistError('bad EXTINF');
      pendingMs = Math.round(seconds * 1000);
    } else if (line.startsWith('#EXT-X-MAP:')) {
      const uri = /URI="([^"]*)"/.exec(line)?.[1];
      if (uri === undefined || !SEGMENT_FILE_PATTERN.test(uri)) throw new PlaylistError('EXT-X-MAP URI is not a file of the recording');
      maps.push(uri);
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (!line.startsWith('#')) {
      if (pendingMs === null) throw new PlaylistError('segment without EXTINF');
      if (!SEGMENT_FILE_PATTERN.test(line)) throw new PlaylistError('segment URI is not a file of the recording');
      segments.push(line);
      segmentStartsMs.push(totalMs);
      totalMs += pendingMs;
      pendingMs = null;
    }
  }
  if (segments.length === 0) throw new PlaylistError('no segments');
  return { durationMs: totalMs, segments, maps, ended, segmentStartsMs };
}

/**
 * The playlist with the recording finished (a crash left it EVENT without ENDLIST): VOD type and
 * ENDLIST, so players show a seekable video instead of waiting for a live edge.
 */
export function finishPlaylist(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').trimEnd().split('\n').filter((line) => !line.startsWith('#EXT-X-PLAYLIST-TYPE:') && line !== '#EXT-X-ENDLIST');
  const at = lines.findIndex((line) => line.startsWith('#EXT-X-TARGETDURATION'));
  lines.splice(at < 0 ? 1 : at + 1, 0, '#EXT-X-PLAYLIST-TYPE:VOD');
  return `${lines.join('\n')}\n#EXT-X-ENDLIST\n`;
}
