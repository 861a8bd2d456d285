// The bounded window of one stream: init sections, the segments listed in the playlist, the
// segments just removed from it (still servable, RFC 8216bis 6.2.2), and the segment in
// progress. A segment is its parts back to back, never copied.
//
// Where the bytes live: the segment in progress and the newest `memorySegments` complete ones
// are in memory (that is what players at the live edge fetch: the open segment's parts and the
// newest segment). Older segments are dropped from memory once their file is on disk
// (`markOnDisk`; the caller writes the files), and served from there. A segment without a file
// stays in memory, so a store that never gets files keeps everything in memory, as before.
//
// Bounds: at most `windowSegments` listed segments (while recorded: `rewindSeconds` of them)
// plus the one in progress, and the retired ones whose retention has not passed, each at most
// `maxSegmentBytes` (enforced by the segmenter), and only init sections still referenced.

export interface StoredPart {
  /** Global part number within the stream: the part's URI, stable across segment boundaries. */
  readonly index: number;
  readonly msn: number;
  readonly duration: number;
  readonly independent: boolean;
  /** Where the part starts within its segment, bytes. */
  readonly offset: number;
  readonly size: number;
}

export interface StoredSegment {
  readonly msn: number;
  readonly initId: number;
  readonly discontinuity: boolean;
  readonly programDateTime: Date;
  readonly parts: StoredPart[];
  /** The parts' bytes, in order, while the segment is held in memory; null once only its file has them. */
  chunks: Uint8Array[] | null;
  /** Its file has been written completely. */
  onDisk: boolean;
  /** Its part records were dropped (far behind the edge of a recorded broadcast): served whole only. */
  partsForgotten?: boolean;
  duration: number;
  size: number;
  complete: boolean;
}

/** Where the bytes of a segment or part are: in memory, or a byte range of a file. */
export type StoredBytes =
  | { readonly kind: 'memory'; readonly chunks: readonly Uint8Array[] }
  | { readonly kind: 'file'; readonly path: string; readonly offset: number; readonly size: number };

/** A segment removed from the playlist, and when (stream media time, seconds) it may go. */
interface RetiredSegment {
  readonly segment: StoredSegment;
  readonly expiresAt: number;
}

export interface SegmentStoreOptions {
  readonly windowSegments: number;
  /** Complete segments whose bytes stay in memory (the newest ones); older ones go once on disk. */
  readonly memorySegments: number;
  /** Segments are only evicted while at least this much duration (seconds) stays listed. */
  readonly minimumListedSeconds: () => number;
  /**
   * Over 0 while the broadcast is being recorded: segments stay listed and servable (rewind while
   * live, their bytes in the recording's files) until they are this many seconds behind the
   * newest, instead of leaving with the window. Bounded, since each listed segment costs ~430
   * bytes (its record, its Date, its kept playlist text) and ~80 bytes of every full playlist.
   */
  readonly rewindSeconds?: () => number;
}

export interface SegmentEnd {
  /** The segment just completed (undefined when it got no part). */
  readonly completed: StoredSegment | undefined;
  /** Segments whose retention has passed: nothing serves them any more (their files can go). */
  readonly expired: StoredSegment[];
}

/** A store as its readers see it (playlist building, the serving side): no writes. */
export type SegmentReader = Readonly<Pick<SegmentStore, 'segments' | 'open' | 'nextMsn' | 'nextPartIndex' | 'lastMsn' | 'discontinuitySequence' | 'memoryBytes' | 'init' | 'segment' | 'part'>>;

export class SegmentStore {
  /** The listed segments, oldest first. */
  readonly segments: StoredSegment[] = [];
  open: StoredSegment | undefined;
  private retired: RetiredSegment[] = [];
  private readonly inits = new Map<number, Uint8Array>();
  nextMsn = 0;
  nextPartIndex = 0;
  /** Discontinuities that left the window (EXT-X-DISCONTINUITY-SEQUENCE). */
  discontinuitySequence = 0;
  /** Longest complete segment so far, seconds. */
  longestSegment = 0;
  /** Media bytes held in memory (open, listed and retired segments not yet released). */
  memoryBytes = 0;
  /** Duration of every segment completed so far: the clock retention is measured on. */
  private completedSeconds = 0;

  constructor(private readonly options: SegmentStoreOptions) {}

  addInit(id: number, bytes: Uint8Array): void {
    this.inits.set(id, bytes);
  }

  init(id: number): Uint8Array | undefined {
    return this.inits.get(id);
  }

  startSegment(initId: number, discontinuity: boolean, programDateTime: Date): StoredSegment {
    this.open = { msn: this.nextMsn++, initId, discontinuity, programDateTime, parts: [], chunks: [], onDisk: false, duration: 0, size: 0, complete: false };
    return this.open;
  }

  addPart(bytes: Uint8Array, duration: number, independent: boolean): StoredPart {
    const segment = this.open;
    if (!segment?.chunks) throw new Error('addPart without an open segment');
    const part = { index: this.nextPartIndex++, msn: segment.msn, duration, independent, offset: segment.size, size: bytes.length };
    segment.parts.push(part);
    segment.chunks.push(bytes);
    segment.size += bytes.length;
    this.memoryBytes += bytes.length;
    return part;
  }

  /** Completes the open segment, moves what left the window into retirement, ends expired retention. */
  endSegment(duration: number): SegmentEnd {
    const segment = this.open;
    this.open = undefined;
    if (!segment) return { completed: undefined, expired: [] };
    if (segment.parts.length === 0) {
      // Nothing was published for it: forget the number so URIs stay dense.
      this.nextMsn--;
      return { completed: undefined, expired: [] };
    }
    segment.duration = duration;
    segment.complete = true;
    this.segments.push(segment);
    this.longestSegment = Math.max(this.longestSegment, duration);
    this.completedSeconds += duration;
    this.evict();
    this.compactOld();
    const expired = this.expire();
    this.dropUnusedInits();
    this.releaseCold();
    return { completed: segment, expired };
  }

  private evict(): void {
    const rewindSeconds = this.options.rewindSeconds?.() ?? 0;
    let listed = 0;
    for (const segment of this.segments) listed += segment.duration;
    while (this.segments.length > this.options.windowSegments) {
      const oldest = this.segments[0]!;
      // "The server MUST NOT remove a Media Segment from a Playlist file without an
      // EXT-X-ENDLIST tag if that would produce a Playlist whose duration is less than three
      // times the Target Duration."
      if (listed - oldest.duration < this.options.minimumListedSeconds()) break;
      if (listed - oldest.duration < rewindSeconds) break;
      this.segments.shift();
      // RFC 8216 6.2.2: "When the server removes a Media Segment URI from the Playlist, the
      // corresponding Media Segment MUST remain available to clients for a period of time equal
      // to the duration of the segment plus the duration of the longest Playlist file
      // distributed by the server containing that segment." The longest such playlist is the
      // one it was just removed from (`listed` still includes it).
      this.retired.push({ segment: oldest, expiresAt: this.completedSeconds + oldest.duration + listed });
      listed -= oldest.duration;
      if (oldest.discontinuity) this.discontinuitySequence++;
    }
  }

  /**
   * While a recorded broadcast's segments stay listed, a segment far behind the edge forgets
   * its parts: they left the playlist long ago (parts are listed only near the edge), and a
   * long broadcast would otherwise keep ~10 part records per segment for hours. The segment
   * itself stays servable whole (`partsForgotten`). One segment per call: the one that just
   * passed twice the window, as far back as a part outlives its listing without a recording.
   */
  private compactOld(): void {
    if ((this.options.rewindSeconds?.() ?? 0) <= 0) return;
    const old = this.segments[this.segments.length - 1 - 2 * this.options.windowSegments];
    if (old === undefined || old.partsForgotten) return;
    old.parts.length = 0;
    old.partsForgotten = true;
  }

  private expire(): StoredSegment[] {
    const expired: StoredSegment[] = [];
    while (this.retired.length > 0 && this.retired[0]!.expiresAt <= this.completedSeconds) {
      const { segment } = this.retired.shift()!;
      if (segment.chunks) this.memoryBytes -= segment.size;
      segment.chunks = null;
      expired.push(segment);
    }
    return expired;
  }

  private dropUnusedInits(): void {
    const referenced = new Set<number>();
    for (const { segment } of this.retired) referenced.add(segment.initId);
    for (const segment of this.segments) referenced.add(segment.initId);
    if (this.open) referenced.add(this.open.initId);
    let latest = -1;
    for (const id of this.inits.keys()) latest = Math.max(latest, id);
    for (const id of this.inits.keys()) if (!referenced.has(id) && id !== latest) this.inits.delete(id);
  }

  /** The segment's file is complete: its bytes can leave memory once it is old enough. */
  markOnDisk(segment: StoredSegment): void {
    segment.onDisk = true;
    this.releaseCold();
  }

  /** Drops the bytes of every complete segment older than the newest `memorySegments` that is on disk. */
  private releaseCold(): void {
    const keepFrom = this.segments.length - this.options.memorySegments;
    const release = (segment: StoredSegment) => {
      if (!segment.onDisk || !segment.chunks) return;
      segment.chunks = null;
      this.memoryBytes -= segment.size;
    };
    for (const { segment } of this.retired) release(segment);
    for (let i = 0; i < keepFrom; i++) release(this.segments[i]!);
  }

  /** A listed or retired segment (complete; the open one has no URI yet). */
  segment(msn: number): StoredSegment | undefined {
    const first = this.segments[0];
    if (first && msn >= first.msn) return this.segments[msn - first.msn];
    for (const { segment } of this.retired) if (segment.msn === msn) return segment;
    return undefined;
  }

  /** A part of the open, a listed or a retired segment; searched from the newest, where most requests are. */
  part(index: number): { segment: StoredSegment; part: StoredPart } | undefined {
    const open = this.open;
    if (open) {
      const found = partOf(open, index);
      if (found) return { segment: open, part: found };
    }
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i]!;
      const found = partOf(segment, index);
      if (found) return { segment, part: found };
    }
    for (const { segment } of this.retired) {
      const found = partOf(segment, index);
      if (found) return { segment, part: found };
    }
    return undefined;
  }

  get lastMsn(): number {
    return this.segments.length > 0 ? this.segments[this.segments.length - 1]!.msn : this.nextMsn - (this.open ? 2 : 1);
  }
}

function partOf(segment: StoredSegment, index: number): StoredPart | undefined {
  const first = segment.parts[0];
  if (!first || index < first.index) return undefined;
  return segment.parts[index - first.index];
}
