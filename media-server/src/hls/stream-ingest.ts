// The ingest side of one HLS stream (`/<app>/<name>/`) across the publishes that feed it: media
// messages go through the publish packager into the segment store and the stream's files, and
// the stream's lifecycle runs here. The serving side (stream-requests.ts) reads what this holds
// and hears of every change through `onChange`.
//
// Lifecycle: live (a publisher is attached) -> grace (publisher gone; a reconnect within
// `endGraceMs` continues the same playlist after EXT-X-DISCONTINUITY, so players keep going)
// -> ended (EXT-X-ENDLIST is written; the stream is still served for another `endGraceMs` so
// players see the end) -> removed (404, memory and disk copy released).

import type { Logger } from '../logger.js';
import type { Recording } from '../recordings/recording.js';
import type { PublishedStream, StreamEndReason, StreamMetadata, StreamSink } from '../media/types.js';
import { buildMediaPlaylist, targetDuration, uris, type PlaylistSettings } from './playlist-builder.js';
import { serializeMediaPlaylist, serializeMultivariantPlaylist } from './playlist.js';
import { PublishPackager, type PackagerEvent } from './publish-packager.js';
import { SegmentFiles } from './segment-files.js';
import { SegmentStore, type SegmentReader, type StoredSegment } from './segment-store.js';
import { StreamListings } from './stream-listings.js';
import type { Clock, Timers } from './timers.js';
import type { PackagedAudio, PackagedVideo } from './tracks.js';

export interface StreamIngestOptions {
  readonly app: string;
  readonly name: string;
  /** Path component of every media URI of this stream; new stream, new id: no stale URLs. */
  readonly id: string;
  readonly segmentDurationMs: number;
  readonly partDurationMs: number;
  readonly windowSegments: number;
  /** While recorded, segments stay listed until they are this far (seconds) behind the newest (rewind while live). */
  readonly rewindSeconds: number;
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
  readonly timers: Timers;
  /**
   * Starts recording this broadcast (hls-service decides whether); `onStopped` is called if the
   * recording stops before the broadcast ends. Absent: not recorded.
   */
  readonly startRecording?: (onStopped: (firstUnrecordedMsn: number) => void) => Recording;
  /** Called whenever the playlist or the state changes (the serving side drops its caches, wakes held requests). */
  readonly onChange: () => void;
  /** Called once the stream is removed, after its grace periods or by `remove()`. */
  readonly onRemoved: () => void;
}

export type StreamState = 'live' | 'grace' | 'ended' | 'removed';

export class StreamIngest {
  private currentState: StreamState = 'live';
  private readonly segmentStore: SegmentStore;
  /** Segment files (public copy or private spill); none: everything stays in memory. */
  private readonly files: SegmentFiles | undefined;
  /** The files are the public copy: init sections and playlists are written too. */
  private readonly publicCopy: boolean;
  readonly settings: PlaylistSettings;
  private publish: PublishPackager | undefined;
  private generations = 0;
  private nextInitId = 0;
  private nextSequenceNumber = 1;
  /** End of the published media on the stream timeline, seconds. */
  private mediaEndSeconds = 0;
  private segmentCursor = 0;
  private currentTracks: { video?: PackagedVideo; audio?: PackagedAudio; metadata?: StreamMetadata } = {};
  private multivariantCache: string | undefined;
  /** What one build of media.m3u8 on disk keeps for the next. */
  private readonly listingsOnDisk = new StreamListings();
  private readonly pendingTimers = new Set<unknown>();
  private droppedFrames = 0;
  /** The broadcast's recording, while it takes segments; its files serve the segments it holds. */
  private readonly recording: Recording | undefined;
  private recordingActive: boolean;

  constructor(private readonly options: StreamIngestOptions) {
    this.settings = { segmentTarget: options.segmentDurationMs / 1000, partTarget: options.partDurationMs / 1000, id: options.id };
    this.segmentStore = new SegmentStore({
      windowSegments: options.windowSegments,
      memorySegments: options.memorySegments,
      minimumListedSeconds: () => 3 * targetDuration(this.settings),
      // Rewind while live: a recorded broadcast keeps its last --record-rewind-hours listed;
      // without a recording (or once it stopped) the window rule applies.
      rewindSeconds: () => (this.recordingActive ? options.rewindSeconds : 0),
    });
    this.recording = options.startRecording?.(() => {
      this.recordingActive = false;
      this.options.onChange();
    });
    this.recordingActive = this.recording !== undefined;
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

  get state(): StreamState {
    return this.currentState;
  }

  /** The segments, read-only outside this class (the serving side builds playlists from it). */
  get store(): SegmentReader {
    return this.segmentStore;
  }

  /** A reconnect continues this stream while it is live or in its grace period. */
  get canContinue(): boolean {
    return this.currentState === 'live' || this.currentState === 'grace';
  }

  get contentType(): string {
    return this.currentTracks.video ? 'video/mp4' : 'audio/mp4';
  }

  /** Where a segment's file is (or will be); undefined when segments stay in memory. */
  segmentPath(msn: number): string | undefined {
    if (!this.publicCopy) {
      const recorded = this.recording?.segmentPath(msn);
      if (recorded !== undefined) return recorded;
    }
    return this.files?.path(uris.segment(this.options.id, msn));
  }

  /** Starts a publish; a previous publish still attached is detached (its sink goes quiet). */
  attach(stream: PublishedStream): StreamSink {
    if (this.publish) this.finishPublish();
    this.clearTimers();
    this.currentState = 'live';
    const generation = ++this.generations;
    const continuing = this.segmentStore.nextMsn > 0;
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
    this.options.onChange();
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
    const store = this.segmentStore;
    const last = store.open ?? store.segments[store.segments.length - 1];
    if (!last) return 0;
    const duration = last.complete ? last.duration : last.parts.reduce((sum, part) => sum + part.duration, 0);
    return last.programDateTime.getTime() + Math.ceil(duration * 1000);
  }

  /** Applies packaging events to the store and the files; tells the serving side of a change. */
  private apply(events: readonly PackagerEvent[]): void {
    if (events.length === 0) return;
    const store = this.segmentStore;
    let changed = false;
    for (const event of events) {
      switch (event.type) {
        case 'tracks':
          store.addInit(event.initId, event.init);
          this.recording?.addInit(event.initId, event.init);
          if (this.publicCopy) void this.files?.writeFile(uris.init(this.options.id, event.initId), [event.init]);
          this.currentTracks = { video: event.video, audio: event.audio, metadata: event.metadata };
          this.multivariantCache = undefined;
          break;
        case 'segment-start':
          store.startSegment(event.initId, event.discontinuity, event.programDateTime);
          this.segmentCursor = event.startSeconds;
          break;
        case 'part':
          store.addPart(event.bytes, event.durationSeconds, event.independent);
          this.segmentCursor += event.durationSeconds;
          this.mediaEndSeconds = Math.max(this.mediaEndSeconds, this.segmentCursor);
          changed = true;
          break;
        case 'segment-end': {
          const { completed, expired } = store.endSegment(event.durationSeconds);
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
    if (changed) this.options.onChange();
  }

  /** Every complete segment gets its file; once written, the store may drop it from memory. */
  private writeSegmentFile(segment: StoredSegment): void {
    if (!segment.chunks) return;
    const markOnDisk = (written: boolean) => {
      if (written) this.segmentStore.markOnDisk(segment);
    };
    // A recorded segment is served from the recording (no second private copy); the public
    // --hls-dir copy is written as always, and serves it while it exists.
    const recording = this.recording?.recording ? this.recording : undefined;
    if (recording) {
      void recording.addSegment({ ...segment, chunks: segment.chunks }).then((recorded) => {
        if (!this.publicCopy) markOnDisk(recorded);
      });
    }
    if (this.files && (this.publicCopy || !recording?.recording)) {
      void this.files.writeFile(uris.segment(this.options.id, segment.msn), segment.chunks).then(markOnDisk);
    }
    this.writePlaylistsToDisk();
  }

  private writePlaylistsToDisk(): void {
    if (!this.files || !this.publicCopy || this.segmentStore.segments.length === 0) return;
    const classic = serializeMediaPlaylist(buildMediaPlaylist(this.segmentStore, this.settings, 'classic', this.currentState === 'ended', this.listingsOnDisk));
    void this.files.writeFile('media.m3u8', [Buffer.from(classic)]);
    const multivariant = this.multivariant();
    if (multivariant) void this.files.writeFile('index.m3u8', [Buffer.from(multivariant)]);
  }

  /** The multivariant playlist, built once per set of tracks; undefined before the first. */
  multivariant(): string | undefined {
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
    for (const segment of this.segmentStore.segments) if (segment.duration > 0) measured = Math.max(measured, (segment.size * 8) / segment.duration);
    const open = this.segmentStore.open;
    if (measured === 0 && open) {
      const duration = open.parts.reduce((sum, part) => sum + part.duration, 0);
      if (duration > 0) measured = (open.size * 8) / duration;
    }
    const value = Math.max(declared * 1.1, measured);
    return value > 0 ? Math.round(value) : 1_000_000;
  }

  private finishPublish(): void {
    if (this.publish) this.apply(this.publish.flush());
    this.publish = undefined;
  }

  private onEnd(reason: StreamEndReason): void {
    this.finishPublish();
    this.currentState = 'grace';
    this.options.logger.info('hls publish ended', { app: this.options.app, name: this.options.name, reason, graceMs: this.options.endGraceMs });
    this.options.onChange();
    this.after(this.options.endGraceMs, () => {
      this.currentState = 'ended';
      this.options.onChange();
      this.writePlaylistsToDisk();
      void this.recording?.finish('ended');
      this.options.logger.info('hls stream ended', { app: this.options.app, name: this.options.name });
      // "It MUST ensure that all Media Segments in the Playlist file remain available to clients
      // for at least the duration of the Playlist file at the time of removal."
      // A recorded broadcast lists all of itself, which would keep its unsigned live URLs up for
      // as long again after the end, while the streamer may make the recording private: only the
      // live window's worth is kept, as for a stream without recording; the rest is the VOD's.
      const listed = this.recording ? this.segmentStore.segments.slice(-this.options.windowSegments) : this.segmentStore.segments;
      const listedMs = listed.reduce((sum, segment) => sum + segment.duration, 0) * 1000;
      this.after(Math.max(this.options.endGraceMs, Math.ceil(listedMs)), () => this.remove());
    });
  }

  private after(ms: number, task: () => void): void {
    const timer = this.options.timers.setTimeout(() => {
      this.pendingTimers.delete(timer);
      task();
    }, ms);
    this.pendingTimers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.pendingTimers) this.options.timers.clearTimeout(timer);
    this.pendingTimers.clear();
  }

  /** Releases everything: the serving side answers its held requests (onRemoved), the files go. */
  remove(): void {
    if (this.currentState === 'removed') return;
    if (this.publish) this.finishPublish();
    this.clearTimers();
    this.currentState = 'removed';
    this.files?.removeAll();
    // Removed before it ended (shutdown): the recording is finished as it stands.
    void this.recording?.finish('ended');
    this.options.logger.info('hls stream removed', { app: this.options.app, name: this.options.name, id: this.options.id });
    this.options.onRemoved();
  }

  /** Resolves when queued file writes are done. */
  diskFlushed(): Promise<void> {
    return Promise.all([this.files?.flushed(), this.recording?.flushed()]).then(() => undefined);
  }

  /** Live-window figures for logs and tests. */
  stats(): { segments: number; bytes: number; lastMsn: number; nextPart: number; state: StreamState } {
    const store = this.segmentStore;
    return { segments: store.segments.length, bytes: store.memoryBytes, lastMsn: store.lastMsn, nextPart: store.nextPartIndex, state: this.currentState };
  }
}
