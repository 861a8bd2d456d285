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
 * The listings of `segments`, which follow `previous` in the recording (undefined: they start it).
 * EXT-X-MAP before the first segment, when the init section changes, and after every
 * EXT-X-DISCONTINUITY (CONTRACT-15: players may start reading at any discontinuity).
 * EXT-X-PROGRAM-DATE-TIME where the timeline starts or breaks: later segments' dates follow from
 * the durations, so a date on each one would only make an hours-long playlist ~50 bytes per
 * segment longer.
 */
export function listRecordedSegments(segments: readonly RecordedSegment[], previous: RecordedSegment | undefined): MediaSegment[] {
  let before = previous;
  return segments.map((segment) => {
    const listed: MediaSegment = {
      discontinuity: segment.discontinuity,
      map: segment.initId !== before?.initId || segment.discontinuity ? recordingFiles.init(segment.initId) : undefined,
      programDateTime: before === undefined || segment.discontinuity ? segment.programDateTime : undefined,
      parts: [],
      duration: segment.duration,
      uri: recordingFiles.segment(segment.msn),
    };
    before = segment;
    return listed;
  });
}

/**
 * "The EXTINF duration of each Media Segment in the Playlist file, when rounded to the nearest
 * integer, MUST be less than or equal to the Target Duration": a recording holds every segment of
 * the broadcast, so the longest one decides if the segmenter ever had to exceed the target.
 * `atLeast`: the target of the segments before these.
 */
export function recordingTargetDuration(segments: readonly RecordedSegment[], segmentTarget: number, atLeast = 0): number {
  let target = Math.max(atLeast, targetDurationSeconds(segmentTarget));
  for (const segment of segments) target = Math.max(target, Math.round(segment.duration));
  return target;
}

/** `segmentTarget`: the configured segment duration, seconds. */
export function buildRecordingPlaylist(segments: readonly RecordedSegment[], segmentTarget: number, finished: boolean): MediaPlaylist {
  return {
    version: 6,
    targetDuration: recordingTargetDuration(segments, segmentTarget),
    mediaSequence: segments[0]?.msn ?? 0,
    discontinuitySequence: 0,
    independentSegments: false,
    playlistType: finished ? 'VOD' : 'EVENT',
    segments: listRecordedSegments(segments, undefined),
    endList: finished,
  };
}

/**
 * The text of a recording's playlist with another EXT-X-TARGETDURATION (the recorder appends
 * segments to the file, and rewrites it only when a longer segment raises the target).
 * Undefined when the text has no such tag.
 */
export function retargetPlaylistText(text: string, targetDuration: number): string | undefined {
  const tag = /^#EXT-X-TARGETDURATION:\d+$/m;
  return tag.test(text) ? text.replace(tag, `#EXT-X-TARGETDURATION:${targetDuration}`) : undefined;
}
