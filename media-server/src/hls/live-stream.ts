// One HLS stream (`/<app>/<name>/`) across the publishes that feed it: media messages go
// through timing repair and the segmenter into the segment store; playlist text is built once
// per change and shared by every request; blocking requests wait here.
//
// Lifecycle: live (a publisher is attached) -> grace (publisher gone; a reconnect within
// `endGraceMs` continues the same playlist after EXT-X-DISCONTINUITY, so players keep going)
// -> ended (EXT-X-ENDLIST is written; the stream is still served for another `endGraceMs` so
// players see the end) -> removed (404, memory and disk copy released).

import type { Logger } from '../logger.js';
import type { PublishedStream, StreamEndReason, StreamMetadata, StreamSink } from '../media/types.js';
import { decideReload, type DeliveryDirectives, type ReloadView } from './blocking-reload.js';
import { buildMediaPlaylist, targetDuration, uris, type PlaylistSettings, type PlaylistVariant } from './playlist-builder.js';
import { serializeMediaPlaylist, serializeMultivariantPlaylist } from './playlist.js';
import { PublishPackager, type PackagerEvent } from './publish-packager.js';
import { SegmentFiles } from './segment-files.js';
import { SegmentStore, type StoredBytes, type StoredSegment } from './segment-store.js';
import type { PackagedAudio, PackagedVideo } from './tracks.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface LiveStreamOptions {
  readonly app: string;
  readonly name: string;
  /** Path component of every media URI of this stream; new stream, new id: no stale URLs. */
  readonly id: string;
  readonly segmentDurationMs: number;
  readonly partDurationMs: number;
  readonly windowSegments: number;
  /** Complete segments kept in memory; older ones are served from their file. */
  readonly memorySegments: number;
  readonly maxSegmentBytes: number;
  readonly endGraceMs: number;
  /** Directory of the public on-disk copy of this stream (`--hls-dir`), if any. */
  readonly diskDir?: string;
  /** Private directory for the files of segments that leave memory, when there is no public copy. */
  readonly spillDir?: string;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Called once the stream is removed after its grace periods. */
  readonly onRemoved: () => void;
}

type StreamState = 'live' | 'grace' | 'ended' | 'removed';

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: (ok: boolean) => void;
}

/** The signal of a client hanging up, made on first call (only held requests need one). */
export type HangUp = () => AbortSignal;

export type PlaylistResult = { readonly status: 200; readonly body: Uint8Array } | { readonly status: 400 | 404 | 503; readonly message: string };

export class LiveStream {
  private state: StreamState = 'live';
  private readonly store: SegmentStore;
  /** Segment files (public copy or private spill); none: everything stays in memory. */
  private readonly files: SegmentFiles | undefined;
  /** The files are the public copy: init sections and playlists are written too. */
  private readonly publicCopy: boolean;
  private readonly settings: PlaylistSettings;
  private publish: PublishPackager | undefined;
  private generations = 0;
  private nextInitId = 0;
  private nextSequenceNumber = 1;
  /** End of the published media on the stream timeline, seconds. */
  private mediaEndSeconds = 0;
  private segmentCursor = 0;
  private currentTracks: { video?: PackagedVideo; audio?: PackagedAudio; metadata?: StreamMetadata } = {};
  /** Encoded playlist bytes per variant, built on the first request after a change. */
  private readonly playlistCache = new Map<PlaylistVariant, Uint8Array>();
  private multivariantCache: string | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private droppedFrames = 0;

  constructor(private readonly options: LiveStreamOptions) {
    this.settings = { segmentTarget: options.segmentDurationMs / 1000, partTarget: options.partDurationMs / 1000, id: options.id };
    this.store = new SegmentStore({
      windowSegments: options.windowSegments,
      memorySegments: options.memorySegments,
      minimumListedSeconds: () => 3 * targetDuration(this.settings),
    });
    const filesDir = options.diskDir ?? options.spillDir;
    this.publicCopy = options.diskDir !== undefined;
    if (filesDir !== undefined) {
      this.files = new SegmentFiles(filesDir, options.logger);
      this.files.reset();
    }
  }

  get id(): string {
    return this.options.id;
  }

  /** A reconnect continues this stream while it is live or in its grace period. */
  get canContinue(): boolean {
    return this.state === 'live' || this.state === 'grace';
  }

  get removed(): boolean {
    return this.state === 'removed';
  }

  get contentType(): string {
    return this.currentTracks.video ? 'video/mp4' : 'audio/mp4';
  }

  /** Starts a publish; a previous publish still attached is detached (its sink goes quiet). */
  attach(stream: PublishedStream): StreamSink {
    if (this.publish) this.finishPublish();
    this.clearTimers();
    this.state = 'live';
    const generation = ++this.generations;
    const continuing = this.store.nextMsn > 0;
    const publish = new PublishPackager(
      this.options,
      {
        // A publisher that comes back continues where the previous media ended, one ms later.
        baseMs: continuing ? Math.ceil(this.mediaEndSeconds * 1000) + 1 : 0,
        discontinuity: continuing,
        firstInitId: this.nextInitId,
        firstSequenceNumber: this.nextSequenceNumber,
        wallFloorMs: this.wallEndMs(),
      },
      () => this.options.clock.now(),
    );
    this.publish = publish;
    this.invalidate();
    this.options.logger.info('hls publish attached', { app: this.options.app, name: this.options.name, id: this.options.id, generation, publishedAt: stream.publishedAt.toISOString() });
    let ended = false;
    return {
      write: (message) => {
        if (ended || this.publish !== publish) return;
        try {
          this.apply(publish.write(message));
        } catch (error) {
          this.options.logger.error('hls packaging failed', { app: this.options.app, name: this.options.name, type: message.type, error: error instanceof Error ? error.message : String(error) });
        }
      },
      end: (reason) => {
        if (ended) return;
        ended = true;
        if (this.publish === publish) this.onEnd(reason);
      },
    };
  }

  // ---------------------------------------------------------------- ingest side

  private drop(): void {
    this.droppedFrames++;
    if (this.droppedFrames === 1 || this.droppedFrames % 1000 === 0) {
      this.options.logger.debug('hls frames dropped before packaging', { app: this.options.app, name: this.options.name, count: this.droppedFrames });
    }
  }

  /**
   * Wall clock at the end of the media published so far. A new publish never maps to an
   * earlier date: "The Server MUST NOT add any EXT-X-PROGRAM-DATE-TIME tag to a Playlist that
   * would cause the mapping between program date and Media Segment to become ambiguous."
   */
  private wallEndMs(): number {
    const last = this.store.open ?? this.store.segments[this.store.segments.length - 1];
    if (!last) return 0;
    const duration = last.complete ? last.duration : last.parts.reduce((sum, part) => sum + part.duration, 0);
    return last.programDateTime.getTime() + Math.ceil(duration * 1000);
  }

  /** Applies packaging events to the store, the disk copy and the caches. */
  private apply(events: readonly PackagerEvent[]): void {
    if (events.length === 0) return;
    let changed = false;
    for (const event of events) {
      switch (event.type) {
        case 'tracks':
          this.store.addInit(event.initId, event.init);
          if (this.publicCopy) void this.files?.writeFile(uris.init(this.options.id, event.initId), [event.init]);
          this.currentTracks = { video: event.video, audio: event.audio, metadata: event.metadata };
          this.multivariantCache = undefined;
          break;
        case 'segment-start':
          this.store.startSegment(event.initId, event.discontinuity, event.programDateTime);
          this.segmentCursor = event.startSeconds;
          break;
        case 'part':
          this.store.addPart(event.bytes, event.durationSeconds, event.independent);
          this.segmentCursor += event.durationSeconds;
          this.mediaEndSeconds = Math.max(this.mediaEndSeconds, this.segmentCursor);
          changed = true;
          break;
        case 'segment-end': {
          const { completed, expired } = this.store.endSegment(event.durationSeconds);
          if (completed) this.writeSegmentFile(completed);
          for (const old of expired) this.files?.remove(uris.segment(this.options.id, old.msn));
          changed = true;
          break;
        }
        case 'dropped':
          this.drop();
          break;
        case 'config-rejected':
          this.options.logger.error('hls decoder configuration rejected', { app: this.options.app, name: this.options.name, track: event.track, error: event.error });
          break;
      }
    }
    if (this.publish) ({ nextInitId: this.nextInitId, nextSequenceNumber: this.nextSequenceNumber } = this.publish.counters);
    if (changed) this.invalidate();
  }

  /** Every complete segment gets its file; once written, the store may drop it from memory. */
  private writeSegmentFile(segment: StoredSegment): void {
    if (!this.files || !segment.chunks) return;
    void this.files.writeFile(uris.segment(this.options.id, segment.msn), segment.chunks).then((written) => {
      if (written) this.store.markOnDisk(segment);
    });
    this.writePlaylistsToDisk();
  }

  private writePlaylistsToDisk(): void {
    if (!this.files || !this.publicCopy || this.store.segments.length === 0) return;
    const classic = serializeMediaPlaylist(buildMediaPlaylist(this.store, this.settings, 'classic', this.state === 'ended'));
    void this.files.writeFile('media.m3u8', [Buffer.from(classic)]);
    const multivariant = this.multivariant();
    if (multivariant) void this.files.writeFile('index.m3u8', [Buffer.from(multivariant)]);
  }

  private finishPublish(): void {
    if (this.publish) this.apply(this.publish.flush());
    this.publish = undefined;
  }

  private onEnd(reason: StreamEndReason): void {
    this.finishPublish();
    this.state = 'grace';
    this.options.logger.info('hls publish ended', { app: this.options.app, name: this.options.name, reason, graceMs: this.options.endGraceMs });
    this.invalidate();
    this.after(this.options.endGraceMs, () => {
      this.state = 'ended';
      this.invalidate();
      this.writePlaylistsToDisk();
      this.options.logger.info('hls stream ended', { app: this.options.app, name: this.options.name });
      // "It MUST ensure that all Media Segments in the Playlist file remain available to clients
      // for at least the duration of the Playlist file at the time of removal."
      const listedMs = this.store.segments.reduce((sum, segment) => sum + segment.duration, 0) * 1000;
      this.after(Math.max(this.options.endGraceMs, Math.ceil(listedMs)), () => this.remove());
    });
  }

  private after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Releases everything; pending requests get 404. */
  remove(): void {
    if (this.state === 'removed') return;
    if (this.publish) this.finishPublish();
    this.clearTimers();
    this.state = 'removed';
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
    this.files?.removeAll();
    this.options.logger.info('hls stream removed', { app: this.options.app, name: this.options.name, id: this.options.id });
    this.options.onRemoved();
  }

  /** Resolves when queued file writes are done. */
  diskFlushed(): Promise<void> {
    return this.files?.flushed() ?? Promise.resolve();
  }

  // ---------------------------------------------------------------- serving side

  private invalidate(): void {
    this.playlistCache.clear();
    // Deleting the entry being visited is safe while iterating a Set.
    for (const waiter of this.waiters) {
      if (waiter.ready()) {
        this.waiters.delete(waiter);
        waiter.resolve(true);
      }
    }
  }

  /**
   * Waits until `ready()` holds (true), or the timeout passes, the stream goes away or the
   * client hangs up (`hangUp`) (false). A hung-up request leaves no waiter behind.
   */
  private waitFor(ready: () => boolean, timeoutMs: number, hangUp?: HangUp): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    const signal = hangUp?.();
    if (this.state === 'removed' || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
        resolve(ok);
      };
      const onAbort = () => finish(false);
      const waiter: Waiter = { ready, resolve: finish };
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
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
    return 3 * targetDuration(this.settings) * 1000;
  }

  private hasContent(): boolean {
    return this.store.segments.length > 0 || (this.store.open?.parts.length ?? 0) > 0;
  }

  private get ended(): boolean {
    return this.state === 'ended';
  }

  private reloadView(): ReloadView {
    const store = this.store;
    return {
      lastMsn: store.lastMsn,
      partCount: (msn) => store.segment(msn)?.parts.length,
      openParts: store.open?.parts.length ?? 0,
      partTarget: this.settings.partTarget,
    };
  }

  private playlistBytes(variant: PlaylistVariant): Uint8Array {
    let bytes = this.playlistCache.get(variant);
    if (bytes === undefined) {
      bytes = Buffer.from(serializeMediaPlaylist(buildMediaPlaylist(this.store, this.settings, variant, this.ended)));
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

  private multivariant(): string | undefined {
    if (this.multivariantCache !== undefined) return this.multivariantCache;
    const { video, audio, metadata } = this.currentTracks;
    if (!video && !audio) return undefined;
    const codecs = [video?.codecString, audio?.codecString].filter((codec): codec is string => codec !== undefined);
    this.multivariantCache = serializeMultivariantPlaylist({
      independentSegments: false, // see playlist-builder.ts
      variants: [
        {
          bandwidth: this.bandwidth(metadata),
          codecs,
          resolution: video ? { width: video.track.width, height: video.track.height } : undefined,
          frameRate: video ? (metadata?.frameRate ?? this.publish?.measuredFrameRate) : undefined,
          uri: 'media.m3u8',
        },
      ],
    });
    return this.multivariantCache;
  }

  /** BANDWIDTH: the publisher's declared bitrates, else what we have measured so far. */
  private bandwidth(metadata: StreamMetadata | undefined): number {
    const declared = ((metadata?.videoBitrateKbps ?? 0) + (metadata?.audioBitrateKbps ?? 0)) * 1000;
    let measured = 0;
    for (const segment of this.store.segments) if (segment.duration > 0) measured = Math.max(measured, (segment.size * 8) / segment.duration);
    const open = this.store.open;
    if (measured === 0 && open) {
      const duration = open.parts.reduce((sum, part) => sum + part.duration, 0);
      if (duration > 0) measured = (open.size * 8) / duration;
    }
    const value = Math.max(declared * 1.1, measured);
    return value > 0 ? Math.round(value) : 1_000_000;
  }

  async multivariantPlaylist(hangUp?: HangUp): Promise<PlaylistResult> {
    if (!(await this.waitFor(() => this.hasContent() || this.ended, this.blockTimeoutMs, hangUp))) return { status: 404, message: 'stream has no media yet' };
    const text = this.multivariant();
    return text === undefined ? { status: 404, message: 'stream has no media yet' } : { status: 200, body: Buffer.from(text) };
  }

  init(initId: number): Uint8Array | undefined {
    return this.store.init(initId);
  }

  /** A listed segment, or one removed from the playlist whose retention has not passed. */
  segment(msn: number): StoredBytes | undefined {
    const segment = this.store.segment(msn);
    return segment && this.bytesOf(segment, 0, segment.parts.length);
  }

  /** Parts [from, to) of a segment: from memory, or the byte range of its file. */
  private bytesOf(segment: StoredSegment, from: number, to: number): StoredBytes | undefined {
    if (segment.chunks) return { kind: 'memory', chunks: from === 0 && to === segment.parts.length ? segment.chunks : segment.chunks.slice(from, to) };
    const first = segment.parts[from];
    const last = segment.parts[to - 1];
    if (!this.files || !first || !last) return undefined;
    return { kind: 'file', path: this.files.path(uris.segment(this.options.id, segment.msn)), offset: first.offset, size: last.offset + last.size - first.offset };
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
    if (index !== this.store.nextPartIndex || this.ended || this.removed) return undefined;
    await this.waitFor(() => this.store.part(index) !== undefined || this.ended, this.blockTimeoutMs, hangUp);
    return this.partBytes(index);
  }

  private partBytes(index: number): StoredBytes | undefined {
    const found = this.store.part(index);
    if (!found) return undefined;
    const position = found.part.index - found.segment.parts[0]!.index;
    return this.bytesOf(found.segment, position, position + 1);
  }

  /** Live-window figures for logs and tests. */
  stats(): { segments: number; bytes: number; lastMsn: number; nextPart: number; state: StreamState } {
    return { segments: this.store.segments.length, bytes: this.store.memoryBytes, lastMsn: this.store.lastMsn, nextPart: this.store.nextPartIndex, state: this.state };
  }
}

