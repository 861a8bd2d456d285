// The serving side of one HLS stream: answers its playlist and media requests from what the
// ingest side (stream-ingest.ts) holds. Playlist text is built once per change and shared by
// every request; blocking requests (_HLS_msn reloads, the preload-hinted part, a playlist before
// the first part) are held here until `changed()` makes them ready, their timeout passes, the
// client hangs up or the stream is removed (`close()`).

import { decideReload, type DeliveryDirectives, type ReloadView } from './blocking-reload.js';
import { buildMediaPlaylist, targetDuration, type PlaylistVariant } from './playlist-builder.js';
import { serializeMediaPlaylist } from './playlist.js';
import type { StoredBytes, StoredSegment } from './segment-store.js';
import { StreamListings } from './stream-listings.js';
import type { HangUpSignal } from './hang-up.js';
import type { StreamIngest } from './stream-ingest.js';
import type { Timers } from './timers.js';

/** What the serving side reads of the ingest side. */
export type IngestView = Pick<StreamIngest, 'id' | 'settings' | 'store' | 'state' | 'contentType' | 'multivariant' | 'segmentPath'>;

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: (ok: boolean) => void;
}

/** The signal of a client hanging up, made on first call (only held requests need one). */
export type HangUp = () => HangUpSignal;

export type PlaylistResult = { readonly status: 200; readonly body: Uint8Array } | { readonly status: 400 | 404 | 503; readonly message: string };

export class StreamRequests {
  /** Encoded playlist bytes per variant, built on the first request after a change. */
  private readonly playlistCache = new Map<PlaylistVariant, Uint8Array>();
  /** What one build keeps for the next (a long rewind lists thousands of segments). */
  private readonly listings = new StreamListings();
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly ingest: IngestView,
    private readonly timers: Timers,
  ) {}

  get id(): string {
    return this.ingest.id;
  }

  get contentType(): string {
    return this.ingest.contentType;
  }

  /** The playlist or the state changed: drop the cached text, answer the requests now ready. */
  changed(): void {
    this.playlistCache.clear();
    // Deleting the entry being visited is safe while iterating a Set.
    for (const waiter of this.waiters) {
      if (waiter.ready()) {
        this.waiters.delete(waiter);
        waiter.resolve(true);
      }
    }
  }

  /** The stream is removed: every held request is answered (not ready). */
  close(): void {
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
  }

  private get ended(): boolean {
    return this.ingest.state === 'ended';
  }

  private get removed(): boolean {
    return this.ingest.state === 'removed';
  }

  /**
   * Waits until `ready()` holds (true), or the timeout passes, the stream goes away or the
   * client hangs up (`hangUp`) (false). A hung-up request leaves no waiter behind.
   */
  private waitFor(ready: () => boolean, timeoutMs: number, hangUp?: HangUp): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    const signal = hangUp?.();
    if (this.removed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        this.timers.clearTimeout(timer);
        signal?.offAbort(onAbort);
        this.waiters.delete(waiter);
        resolve(ok);
      };
      const onAbort = () => finish(false);
      const waiter: Waiter = { ready, resolve: finish };
      const timer = this.timers.setTimeout(() => finish(false), timeoutMs);
      signal?.onAbort(onAbort);
      this.waiters.add(waiter);
    });
  }

  /** Requests being held right now (tests, stats). */
  get heldRequests(): number {
    return this.waiters.size;
  }

  private get blockTimeoutMs(): number {
    // "A Server that cannot provide the requested Playlist after blocking for more than three
    // Target Durations SHOULD return Service Unavailable, such as HTTP 503."
    return 3 * targetDuration(this.ingest.settings) * 1000;
  }

  private hasContent(): boolean {
    const store = this.ingest.store;
    return store.segments.length > 0 || (store.open?.parts.length ?? 0) > 0;
  }

  private reloadView(): ReloadView {
    const store = this.ingest.store;
    return {
      lastMsn: store.lastMsn,
      // A segment whose parts were forgotten (segment-store.ts) is complete: answer at once.
      partCount: (msn) => {
        const segment = store.segment(msn);
        return segment === undefined || segment.partsForgotten ? undefined : segment.parts.length;
      },
      openParts: store.open?.parts.length ?? 0,
      partTarget: this.ingest.settings.partTarget,
    };
  }

  private playlistBytes(variant: PlaylistVariant): Uint8Array {
    let bytes = this.playlistCache.get(variant);
    if (bytes === undefined) {
      bytes = Buffer.from(serializeMediaPlaylist(buildMediaPlaylist(this.ingest.store, this.ingest.settings, variant, this.ended, this.listings)));
      this.playlistCache.set(variant, bytes);
    }
    return bytes;
  }

  async mediaPlaylist(directives: DeliveryDirectives, hangUp?: HangUp): Promise<PlaylistResult> {
    if (!(await this.waitFor(() => this.hasContent() || this.ended, this.blockTimeoutMs, hangUp)) || !this.hasContent()) {
      return { status: 404, message: 'stream has no media yet' };
    }
    // "A Server MUST ignore _HLS_msn and _HLS_part if the Playlist contains an EXT-X-ENDLIST tag."
    if (directives.msn !== undefined && !this.ended) {
      const { msn, part } = directives;
      const decision = decideReload(this.reloadView(), msn, part);
      if (decision === 'too-far') return { status: 400, message: `_HLS_msn=${msn} _HLS_part=${part ?? ''} is too far ahead of the live edge` };
      if (decision === 'wait') {
        const ok = await this.waitFor(() => this.ended || decideReload(this.reloadView(), msn, part) === 'ready', this.blockTimeoutMs, hangUp);
        if (this.removed) return { status: 404, message: 'stream removed' };
        if (!ok) return { status: 503, message: 'requested segment or part not produced in time' };
      }
    }
    return { status: 200, body: this.playlistBytes(directives.skip && !this.ended ? 'delta' : 'full') };
  }

  async multivariantPlaylist(hangUp?: HangUp): Promise<PlaylistResult> {
    if (!(await this.waitFor(() => this.hasContent() || this.ended, this.blockTimeoutMs, hangUp))) return { status: 404, message: 'stream has no media yet' };
    const text = this.ingest.multivariant();
    return text === undefined ? { status: 404, message: 'stream has no media yet' } : { status: 200, body: Buffer.from(text) };
  }

  init(initId: number): Uint8Array | undefined {
    return this.ingest.store.init(initId);
  }

  /** A listed segment, or one removed from the playlist whose retention has not passed. */
  segment(msn: number): StoredBytes | undefined {
    const segment = this.ingest.store.segment(msn);
    return segment && this.bytesOf(segment, 0, segment.parts.length);
  }

  /** Parts [from, to) of a segment: from memory, or the byte range of its file. */
  private bytesOf(segment: StoredSegment, from: number, to: number): StoredBytes | undefined {
    if (segment.partsForgotten) {
      const path = this.ingest.segmentPath(segment.msn);
      if (segment.chunks) return { kind: 'memory', chunks: segment.chunks };
      return path === undefined ? undefined : { kind: 'file', path, offset: 0, size: segment.size };
    }
    if (segment.chunks) return { kind: 'memory', chunks: from === 0 && to === segment.parts.length ? segment.chunks : segment.chunks.slice(from, to) };
    const first = segment.parts[from];
    const last = segment.parts[to - 1];
    const path = this.ingest.segmentPath(segment.msn);
    if (path === undefined || !first || !last) return undefined;
    return { kind: 'file', path, offset: first.offset, size: last.offset + last.size - first.offset };
  }

  /**
   * A part; the one named by EXT-X-PRELOAD-HINT is held until it is complete ("the server MUST
   * refrain from transmitting any bytes belonging to a Partial Segment until all bytes of that
   * Partial Segment can be transmitted at the full speed of the link to the client").
   */
  async part(index: number, hangUp?: HangUp): Promise<StoredBytes | undefined> {
    const existing = this.partBytes(index);
    if (existing) return existing;
    // "The server SHOULD respond with "Not Found" (such as HTTP 404) to a request for a
    // resource that it cannot find and that is not specified by an EXT-X-PRELOAD-HINT tag in
    // an active Media Playlist."
    if (index !== this.ingest.store.nextPartIndex || this.ended || this.removed) return undefined;
    await this.waitFor(() => this.ingest.store.part(index) !== undefined || this.ended, this.blockTimeoutMs, hangUp);
    return this.partBytes(index);
  }

  private partBytes(index: number): StoredBytes | undefined {
    const found = this.ingest.store.part(index);
    if (!found) return undefined;
    const position = found.part.index - found.segment.parts[0]!.index;
    return this.bytesOf(found.segment, position, position + 1);
  }
}
