// The media playlist of one recorded broadcast (CONTRACT-15 item 2), sans-I/O: the segments
// written so far in, the typed playlist out (playlist.ts serializes it). URIs are relative to the
// broadcast folder: `init-<n>.mp4`, `seg-<msn>.m4s`. EXT-X-PLAYLIST-TYPE:EVENT while recording,
// VOD + EXT-X-ENDLIST once finished.

import type { MediaPlaylist, MediaSegment } from '../hls/playlist.js';
import { targetDurationSeconds } from '../hls/segmenter.js';

/** One segment of the recording, as its playlist lists it. */
export interface RecordedSegment {
  readonly msn: number;
  readonly initId: number;
  /** A publisher came back (or the configuration changed) before this segment. */
  readonly discontinuity: boolean;
  readonly programDateTime: Date;
  /** Seconds. */
  readonly duration: number;
}

export const recordingFiles = {
  init: (initId: number) => `init-${initId}.mp4`,
  segment: (msn: number) => `seg-${msn}.m4s`,
  playlist: 'index.m3u8',
};

/**
 * The listing of each recorded segment, made once: the same object every rewrite, so the
 * serializer's per-segment text cache (playlist.ts) turns a rewrite into a join.
 */
const listings = new WeakMap<RecordedSegment, MediaSegment>();

function listing(segment: RecordedSegment, withMap: boolean, withDate: boolean): MediaSegment {
  const cached = listings.get(segment);
  if (cached !== undefined && (cached.map !== undefined) === withMap && (cached.programDateTime !== undefined) === withDate) return cached;
  const made: MediaSegment = {
    discontinuity: segment.discontinuity,
    map: withMap ? recordingFiles.init(segment.initId) : undefined,
    programDateTime: withDate ? segment.programDateTime : undefined,
    parts: [],
    duration: segment.duration,
    uri: recordingFiles.segment(segment.msn),
  };
  listings.set(segment, made);
  return made;
}

/** `segmentTarget`: the configured segment duration, seconds. */
export function buildRecordingPlaylist(segments: readonly RecordedSegment[], segmentTarget: number, finished: boolean): MediaPlaylist {
  // "The EXTINF duration of each Media Segment in the Playlist file, when rounded to the nearest
  // integer, MUST be less than or equal to the Target Duration": a recording holds every segment
  // of the broadcast, so the longest one decides if the segmenter ever had to exceed the target.
  let target = targetDurationSeconds(segmentTarget);
  for (const segment of segments) target = Math.max(target, Math.round(segment.duration));
  let previousInit: number | undefined;
  const listed = segments.map((segment, index) => {
    // EXT-X-MAP before the first segment, when the init section changes, and after every
    // EXT-X-DISCONTINUITY (CONTRACT-15: players may start reading at any discontinuity).
    const withMap = segment.initId !== previousInit || segment.discontinuity;
    previousInit = segment.initId;
    // EXT-X-PROGRAM-DATE-TIME where the timeline starts or breaks: later segments' dates follow
    // from the durations, and the whole playlist is rewritten now and then, so a date on each
    // one would make an hours-long recording rewrite ~50 more bytes per segment each time.
    return listing(segment, withMap, index === 0 || segment.discontinuity);
  });
  return {
    version: 6,
    targetDuration: target,
    mediaSequence: segments[0]?.msn ?? 0,
    discontinuitySequence: 0,
    independentSegments: false,
    playlistType: finished ? 'VOD' : 'EVENT',
    segments: listed,
    endList: finished,
  };
}
