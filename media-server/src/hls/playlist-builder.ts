// Builds the typed media playlist of one stream from its segment store, applying the LL-HLS
// rules of draft-pantos-hls-rfc8216bis. URIs are relative to the media playlist:
// `<id>/init-<n>.mp4`, `<id>/seg-<msn>.m4s`, `<id>/part-<n>.m4s`.

import { serializeMediaSegment, type MediaPlaylist, type MediaSegment, type PartialSegment, type SegmentHeader } from './playlist.js';
import type { SegmentReader, StoredPart, StoredSegment } from './segment-store.js';
import { StreamListings } from './stream-listings.js';
import { targetDurationSeconds } from './segmenter.js';

export interface PlaylistSettings {
  /** Configured segment target, seconds. */
  readonly segmentTarget: number;
  /** Part target, seconds. */
  readonly partTarget: number;
  /** Per-publish path component that keeps URIs unique across publishes. */
  readonly id: string;
}

export type PlaylistVariant = 'full' | 'delta' | 'classic';

export const uris = {
  init: (id: string, initId: number) => `${id}/init-${initId}.mp4`,
  segment: (id: string, msn: number) => `${id}/seg-${msn}.m4s`,
  part: (id: string, index: number) => `${id}/part-${index}.m4s`,
};

/**
 * "The value of the EXT-X-TARGETDURATION tag in the Media Playlist MUST NOT change": it comes from
 * the configured segment target alone, and the segmenter keeps every segment within it (see
 * segmenter.ts for how a GOP longer than the target is cut). HOLD-BACK, CAN-SKIP-UNTIL and the
 * part listing window derive from it and are just as fixed.
 */
export function targetDuration(settings: PlaylistSettings): number {
  return targetDurationSeconds(settings.segmentTarget);
}

/** "EXT-X-PART tags SHOULD be removed from the Playlist after they are greater than three Target Durations from the end of the Playlist." */
function partsListedFrom(store: SegmentReader, target: number): number {
  let fromEnd = 0;
  let first = store.open?.msn ?? store.nextMsn;
  for (let i = store.segments.length - 1; i >= 0; i--) {
    const segment = store.segments[i]!;
    fromEnd += segment.duration;
    if (fromEnd > 3 * target) break;
    first = segment.msn;
  }
  return first;
}

/** The parts of every segment listed without them: one array, not one per listing. */
const noParts: readonly PartialSegment[] = Object.freeze([]);

/** The index of the first segment within the Skip Boundary of the playlist's end (0 when all are). */
function skipBoundaryIndex(store: SegmentReader, canSkipUntil: number): number {
  let fromEnd = 0;
  for (let i = store.segments.length - 1; i >= 0; i--) {
    fromEnd += store.segments[i]!.duration;
    if (fromEnd > canSkipUntil) return i + 1;
  }
  return 0;
}

/**
 * `kept` is what builds of one store's playlist keep from one build to the next
 * (stream-listings.ts): the same playlist, made without listing or writing again what did not
 * change. Without it, every segment is listed and written for this build alone.
 */
export function buildMediaPlaylist(store: SegmentReader, settings: PlaylistSettings, variant: PlaylistVariant, ended: boolean, kept?: StreamListings): MediaPlaylist {
  const listings = kept ?? new StreamListings();
  const target = targetDuration(settings);
  const lowLatency = variant !== 'classic';
  // "A Server MUST ignore the _HLS_skip directive if the Playlist does not contain the
  // CAN-SKIP-UNTIL attribute, or if it contains an EXT-X-ENDLIST tag."
  const canSkipUntil = 6 * target; // "The Skip Boundary MUST be at least six times the Target Duration."
  const partsFrom = lowLatency ? partsListedFrom(store, target) : Number.POSITIVE_INFINITY;
  // "The Playlist Delta Update is a version of the Playlist in which Media Segments that are
  // further from the end of the last (Parent) Media Segment in the Playlist than the Skip
  // Boundary, as well as their associated tags, are replaced by an EXT-X-SKIP tag."
  const skipBoundary = skipBoundaryIndex(store, canSkipUntil);
  const skipped = variant === 'delta' && !ended ? skipBoundary : 0;

  // With nothing beyond the Skip Boundary the full playlist is the answer (no EXT-X-SKIP:0).
  const delta = skipped > 0;
  let previousInit: number | undefined;
  const mapOf = (segment: StoredSegment): string | undefined => {
    const map = segment.initId !== previousInit ? uris.init(settings.id, segment.initId) : undefined;
    previousInit = segment.initId;
    return map;
  };
  const withParts = (segment: StoredSegment) => segment.msn >= partsFrom && segment.parts.length > 0;
  const partListing = (part: StoredPart): PartialSegment =>
    listings.part(part, () => ({ duration: part.duration, uri: uris.part(settings.id, part.index), independent: part.independent }));
  const header = (segment: StoredSegment, map: string | undefined, listParts: boolean): SegmentHeader => ({
    discontinuity: segment.discontinuity,
    map,
    // "If a server provides this mapping, it SHOULD apply an EXT-X-PROGRAM-DATE-TIME tag to
    // every segment that has an EXT-X-DISCONTINUITY tag applied to it." We apply it to every
    // segment: it is the wall clock of the segment's first frame.
    programDateTime: segment.programDateTime,
    parts: listParts ? segment.parts.map(partListing) : noParts,
  });
  // A segment's listing depends on whether it carries EXT-X-MAP and its parts: remade when either changes.
  const listing = (segment: StoredSegment): MediaSegment => {
    const map = mapOf(segment);
    const listParts = withParts(segment);
    return listings.segment(
      segment.msn,
      (listed) => listed.map === map && (listed.parts.length > 0) === listParts,
      () => {
        // Written out rather than `{ ...header(), duration, uri }`: V8 gave every object made by
        // that spread a hidden class (map, descriptors, property array) of its own, ~260 bytes
        // per listing (a heap snapshot of 8200 listings had 8200 maps).
        const { discontinuity, programDateTime, parts } = header(segment, map, listParts);
        return { discontinuity, map, programDateTime, parts, duration: segment.duration, uri: uris.segment(settings.id, segment.msn) };
      },
    );
  };
  let listedFrom = skipped;
  let leadingSegmentsText: string | undefined;
  if (kept !== undefined && !delta) {
    // The first listed segment is written as always; then the settled ones, kept from before.
    let settledEnd = store.segments.length;
    while (settledEnd > 1 && store.segments[settledEnd - 1]!.msn >= partsFrom) settledEnd--;
    if (settledEnd > 1) {
      const first = serializeMediaSegment(listing(store.segments[0]!));
      const rest = listings.settled.of(store.segments, 1, settledEnd, (segment, previous) => {
        previousInit = previous.initId;
        return serializeMediaSegment(listing(segment));
      });
      leadingSegmentsText = first + rest;
      listedFrom = settledEnd;
      previousInit = store.segments[settledEnd - 1]!.initId;
    }
  }
  const segments: MediaSegment[] = store.segments.slice(listedFrom).map(listing);
  listings.forgetBefore(store.segments[skipBoundary]?.msn ?? store.nextMsn);
  const open = store.open;
  const partialSegment = lowLatency && open && open.parts.length > 0 ? header(open, mapOf(open), withParts(open)) : undefined;
  return {
    // "The value of the EXT-X-VERSION tag SHOULD NOT be greater than what is required for the
    // tags and attributes in the Playlist": EXT-X-MAP needs 6, EXT-X-SKIP needs 9.
    version: delta ? 9 : 6,
    targetDuration: target,
    mediaSequence: store.segments[0]?.msn ?? store.nextMsn - (open ? 1 : 0),
    discontinuitySequence: store.discontinuitySequence,
    // Not written: segments cut by maxSegmentBytes or past the target duration (segmenter.ts) do not start on a keyframe, and VHS reads
    // the tag as "every part is independent", which stops it from stepping back to an
    // INDEPENDENT=YES part when it joins a live stream mid-GOP.
    independentSegments: false,
    serverControl: lowLatency
      ? {
          canBlockReload: true,
          canSkipUntil,
          // "Its value MUST be at least three times the Target Duration."
          holdBack: 3 * target,
          // "Its value MUST be at least twice the Part Target Duration. Its value SHOULD be at
          // least three times the Part Target Duration."
          partHoldBack: 3 * settings.partTarget,
        }
      : undefined,
    partTarget: lowLatency ? settings.partTarget : undefined,
    skippedSegments: delta ? skipped : undefined,
    leadingSegmentsText,
    segments,
    partialSegment,
    // "A hinted resource MUST be available for request when its EXT-X-PRELOAD-HINT tag is
    // added to the Playlist": part requests for the next index block until it is produced.
    preloadHintUri: lowLatency && !ended ? uris.part(settings.id, store.nextPartIndex) : undefined,
    endList: ended,
  };
}
