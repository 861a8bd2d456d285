// The bounded in-memory window of one stream: init sections, complete segments (each a list of
// parts, so a segment is served by writing its parts in order, never copied), the segment in
// progress, and an optional on-disk copy for nginx or a CDN.
//
// Bounds: at most `windowSegments` complete segments (plus the one in progress), each at most
// `maxSegmentBytes` (enforced by the segmenter), and only init sections still referenced.

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';

export interface StoredPart {
  /** Global part number within the stream: the part's URI, stable across segment boundaries. */
  readonly index: number;
  readonly msn: number;
  readonly duration: number;
  readonly independent: boolean;
  readonly bytes: Uint8Array;
}

export interface StoredSegment {
  readonly msn: number;
  readonly initId: number;
  readonly discontinuity: boolean;
  readonly programDateTime: Date;
  readonly parts: StoredPart[];
  duration: number;
  size: number;
  complete: boolean;
}

export interface SegmentStoreOptions {
  readonly windowSegments: number;
  /** Segments are only evicted while at least this much duration (seconds) stays listed. */
  readonly minimumListedSeconds: () => number;
}

export class SegmentStore {
  readonly segments: StoredSegment[] = [];
  open: StoredSegment | undefined;
  private readonly inits = new Map<number, Uint8Array>();
  nextMsn = 0;
  nextPartIndex = 0;
  /** Discontinuities that left the window (EXT-X-DISCONTINUITY-SEQUENCE). */
  discontinuitySequence = 0;
  /** Longest complete segment so far, seconds. */
  longestSegment = 0;
  totalBytes = 0;

  constructor(private readonly options: SegmentStoreOptions) {}

  addInit(id: number, bytes: Uint8Array): void {
    this.inits.set(id, bytes);
  }

  init(id: number): Uint8Array | undefined {
    return this.inits.get(id);
  }

  startSegment(initId: number, discontinuity: boolean, programDateTime: Date): StoredSegment {
    this.open = { msn: this.nextMsn++, initId, discontinuity, programDateTime, parts: [], duration: 0, size: 0, complete: false };
    return this.open;
  }

  addPart(bytes: Uint8Array, duration: number, independent: boolean): StoredPart {
    const segment = this.open;
    if (!segment) throw new Error('addPart without an open segment');
    const part = { index: this.nextPartIndex++, msn: segment.msn, duration, independent, bytes };
    segment.parts.push(part);
    segment.size += bytes.length;
    this.totalBytes += bytes.length;
    return part;
  }

  /** Completes the open segment; returns the segments evicted from the window. */
  endSegment(duration: number): { completed: StoredSegment | undefined; evicted: StoredSegment[] } {
    const segment = this.open;
    this.open = undefined;
    if (!segment) return { completed: undefined, evicted: [] };
    if (segment.parts.length === 0) {
      // Nothing was published for it: forget the number so URIs stay dense.
      this.nextMsn--;
      return { completed: undefined, evicted: [] };
    }
    segment.duration = duration;
    segment.complete = true;
    this.segments.push(segment);
    this.longestSegment = Math.max(this.longestSegment, duration);
    return { completed: segment, evicted: this.evict() };
  }

  private evict(): StoredSegment[] {
    const evicted: StoredSegment[] = [];
    let listed = this.segments.reduce((sum, segment) => sum + segment.duration, 0);
    while (this.segments.length > this.options.windowSegments) {
      const oldest = this.segments[0]!;
      // "The server MUST NOT remove a Media Segment from a Playlist file without an
      // EXT-X-ENDLIST tag if that would produce a Playlist whose duration is less than three
      // times the Target Duration."
      if (listed - oldest.duration < this.options.minimumListedSeconds()) break;
      this.segments.shift();
      listed -= oldest.duration;
      this.totalBytes -= oldest.size;
      if (oldest.discontinuity) this.discontinuitySequence++;
      evicted.push(oldest);
    }
    const referenced = new Set(this.segments.map((segment) => segment.initId));
    if (this.open) referenced.add(this.open.initId);
    for (const id of this.inits.keys()) if (!referenced.has(id) && id !== this.latestInitId()) this.inits.delete(id);
    return evicted;
  }

  private latestInitId(): number {
    return Math.max(-1, ...this.inits.keys());
  }

  segment(msn: number): StoredSegment | undefined {
    const first = this.segments[0];
    if (!first) return undefined;
    return this.segments[msn - first.msn];
  }

  part(index: number): StoredPart | undefined {
    for (const segment of [...this.segments, ...(this.open ? [this.open] : [])]) {
      const first = segment.parts[0];
      if (first && index >= first.index && index < first.index + segment.parts.length) return segment.parts[index - first.index];
    }
    return undefined;
  }

  get lastMsn(): number {
    return this.segments.length > 0 ? this.segments[this.segments.length - 1]!.msn : this.nextMsn - (this.open ? 2 : 1);
  }
}

/**
 * The optional on-disk copy under `<hlsDir>/<app>/<name>/`: `index.m3u8`, `media.m3u8` (a
 * classic, non-LL playlist of complete segments) and `<id>/init-N.mp4`, `<id>/seg-N.m4s`.
 * Writes run one after another per stream; playlists are replaced atomically by rename.
 */
export class DiskCopy {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  private enqueue(what: string, task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.logger.warn('hls disk copy failed', { dir: this.dir, what, error: error instanceof Error ? error.message : String(error) });
    });
  }

  reset(): void {
    this.enqueue('reset', async () => {
      await rm(this.dir, { recursive: true, force: true });
      await mkdir(this.dir, { recursive: true });
    });
  }

  writeFile(relativePath: string, chunks: readonly Uint8Array[]): void {
    this.enqueue(relativePath, async () => {
      const path = join(this.dir, relativePath);
      await mkdir(join(path, '..'), { recursive: true });
      const temporary = `${path}.tmp`;
      await writeFile(temporary, chunks);
      await rename(temporary, path);
    });
  }

  remove(relativePath: string): void {
    this.enqueue(relativePath, () => rm(join(this.dir, relativePath), { force: true }));
  }

  removeAll(): void {
    this.enqueue('remove', () => rm(this.dir, { recursive: true, force: true }));
  }

  /** Resolves when every queued write has finished (tests, shutdown). */
  flushed(): Promise<void> {
    return this.queue;
  }
}
