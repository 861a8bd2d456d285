// The playlist text of one stream's settled segments, kept across builds.
//
// While a broadcast is recorded its playlist lists hours of segments (--record-rewind-hours:
// ~7200 at the default 4 h), and every full playlist built after a change listed and wrote each
// of them again: ~5 ms a build, which any client could ask for after every new part. A segment
// is settled once it is complete, not the first listed (that one always carries EXT-X-MAP) and
// past the part listing (its EXT-X-PART lines are gone): its lines depend only on it and the
// segment before it, and never change again. So their text is kept as one string, and a build
// only cuts the segments that left the playlist from its front and appends the newly settled
// (bench/tools/heap-per-segment.ts: ~0.6-0.9 ms a build at 7200 segments, mostly copying the
// 560 KB of text into the response).

import type { StoredSegment } from './segment-store.js';

/** Writes one segment's lines (newline-terminated), given the segment listed before it. */
export type SegmentText = (segment: StoredSegment, previous: StoredSegment) => string;

export class SettledSegmentsText {
  /** The msn of the first segment in `text`. */
  private firstMsn = 0;
  /** The length of each segment's lines in `text`, from `firstMsn` on. */
  private readonly lengths: number[] = [];
  private text = '';

  /**
   * The text of `segments[from..to)` (from >= 1: each needs the one before it). `segments` are
   * one store's listed segments, whose msns are consecutive; an instance serves one store.
   */
  of(segments: readonly StoredSegment[], from: number, to: number, textOf: SegmentText): string {
    if (from < 1 || to > segments.length) throw new RangeError(`settled segments ${from}..${to} of ${segments.length}`);
    if (to <= from) return '';
    const fromMsn = segments[from]!.msn;
    const toMsn = fromMsn + (to - from);
    let endMsn = this.firstMsn + this.lengths.length;
    if (fromMsn < this.firstMsn || fromMsn > endMsn || toMsn < endMsn) {
      // Not a window that moved forward (the first use, or a range that shrank): start over.
      this.firstMsn = fromMsn;
      this.lengths.length = 0;
      this.text = '';
      endMsn = fromMsn;
    }
    let cut = 0;
    for (; this.firstMsn < fromMsn; this.firstMsn++) cut += this.lengths.shift()!;
    const added: string[] = [];
    for (let msn = endMsn; msn < toMsn; msn++) {
      const index = from + (msn - fromMsn);
      const text = textOf(segments[index]!, segments[index - 1]!);
      this.lengths.push(text.length);
      added.push(text);
    }
    this.text = this.text.slice(cut) + added.join('');
    return this.text;
  }
}
