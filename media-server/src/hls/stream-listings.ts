// What one stream's playlist builds (playlist-builder.ts) keep from one build to the next.
//
// - The listing of each segment and part a build lists one by one: the same object every build,
//   so the serializer's per-listing text caches (playlist.ts) are hit. A segment's listing is
//   kept until the segment falls behind the Skip Boundary (no build lists it one by one after
//   that), a part's as long as its record is in the store.
// - The text of the settled segments, which builds no longer list one by one
//   (settled-segments.ts).
//
// Listings used to be kept as long as their segment. While a broadcast is recorded that is hours
// (listed for the rewind, then retired for as long again), and the listing, its text and its
// date line were most of what such a segment cost: bench/tools/heap-per-segment.ts measured
// 1034 bytes of heap per listed segment before (989 half listed, half retired), 425 after (344).

import type { MediaSegment, PartialSegment } from './playlist.js';
import type { StoredPart } from './segment-store.js';
import { SettledSegmentsText } from './settled-segments.js';

export class StreamListings {
  readonly settled = new SettledSegmentsText();
  /** By msn. */
  private readonly segments = new Map<number, MediaSegment>();
  private readonly parts = new WeakMap<StoredPart, PartialSegment>();

  /** The segment's kept listing if `fits` it, else the one `make` makes (and kept). */
  segment(msn: number, fits: (listing: MediaSegment) => boolean, make: () => MediaSegment): MediaSegment {
    const kept = this.segments.get(msn);
    if (kept !== undefined && fits(kept)) return kept;
    const listing = make();
    this.segments.set(msn, listing);
    return listing;
  }

  part(part: StoredPart, make: () => PartialSegment): PartialSegment {
    let listing = this.parts.get(part);
    if (listing === undefined) {
      listing = make();
      this.parts.set(part, listing);
    }
    return listing;
  }

  /** How many segment listings are kept. */
  get segmentCount(): number {
    return this.segments.size;
  }

  /** Forgets the listings of segments before `msn`. */
  forgetBefore(msn: number): void {
    // A handful are kept (the segments within the Skip Boundary): a full pass is cheap.
    for (const kept of this.segments.keys()) if (kept < msn) this.segments.delete(kept);
  }
}
