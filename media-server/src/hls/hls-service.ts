// The HLS output of the media server: opens a live stream (live-stream.ts) per accepted publish
// (StreamOutputs) and serves the URL layout of routes.ts on the shared HTTP port (`handle`
// returns false for any path that is not ours, so the caller can try its other routes).

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { IncomingMessage as HttpRequest, ServerResponse as HttpResponse } from 'node:http';
import { AddressCounter } from '../http/address-counter.js';
import { whenResponseDone } from '../http/response-done.js';
import type { RequestInfo } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { PublishedStream, StreamOutputs, StreamSink } from '../media/types.js';
import type { RecordDoneNotifier } from '../recordings/record-done.js';
import { newBroadcastId, Recording } from '../recordings/recording.js';
import { parseDeliveryDirectives } from './blocking-reload.js';
import { HangUpSignal } from './hang-up.js';
import { pauseReading } from './pause-reading.js';
import { ReadBudget } from './read-budget.js';
import { openLiveStream, type LiveStream } from './live-stream.js';
import type { HangUp, PlaylistResult } from './stream-requests.js';
import { systemClock, systemTimers, type Clock, type Timers } from './timers.js';
import { cacheControl, fixedHeaders, parseHlsPath, playlistContentType, sendChunks, sendError, sendPreflight, sendStoredBytes, sendText, type HlsRoute } from './routes.js';

// Response headers built once per content type (see fixedHeaders in routes.ts).
const playlistHeaders = fixedHeaders(playlistContentType, cacheControl.playlist);
const mediaHeaders = { 'video/mp4': fixedHeaders('video/mp4', cacheControl.media), 'audio/mp4': fixedHeaders('audio/mp4', cacheControl.media) };
function mediaHeadersFor(contentType: string): readonly string[] {
  return contentType === 'video/mp4' ? mediaHeaders['video/mp4'] : contentType === 'audio/mp4' ? mediaHeaders['audio/mp4'] : fixedHeaders(contentType, cacheControl.media);
}

export type { Clock, Timers } from './timers.js';

export interface HlsServiceOptions {
  /** Segment target duration (default 2000 ms); a segment ends at the first keyframe at or after it. */
  readonly segmentDurationMs: number;
  /** Part target duration (default 200 ms). */
  readonly partDurationMs: number;
  /** Complete segments listed in the playlist (config default, see config.ts). */
  readonly windowSegments: number;
  /** Complete segments kept in memory (the newest); older ones are served from their files. */
  readonly memorySegments: number;
  /** While a broadcast is recorded, how far back (seconds) its live playlist lists it (default 4 hours). */
  readonly rewindSeconds?: number;
  /** Directory for the public on-disk copy (`--hls-dir`), laid out like the URLs. */
  readonly hlsDir?: string;
  /**
   * Private directory (one per process, see spill-dir.ts) for the files of segments that leave
   * memory when there is no public copy. Neither: every segment stays in memory.
   */
  readonly spillDir?: string;
  /** How long an ended stream waits for its publisher to come back, and then how long its ENDLIST stays served. */
  readonly endGraceMs: number;
  readonly logger: Logger;
  /** Largest segment kept in memory (default 32 MiB); a bigger one is cut without waiting for a keyframe. */
  readonly maxSegmentBytes?: number;
  /** Wall clock for EXT-X-PROGRAM-DATE-TIME (default Date.now). */
  readonly clock?: Clock;
  /** Timers of held requests, end grace and removal (default the real ones). */
  readonly timers?: Timers;
  /** Blocking requests (_HLS_msn waits, preload-hint parts) held at once per stream (default 2000). */
  readonly maxHeldPerStream?: number;
  /** Bytes read from segment files in flight across all responses (default 64 MiB). */
  readonly fileReadBudgetBytes?: number;
  /** Blocking requests held at once per client address (default 16). */
  readonly maxHeldPerAddress?: number;
  /** How long a connection is not read after a 503 over a hold cap (default 1000 ms; 0: not paused). */
  readonly refusalDelayMs?: number;
  /** The per-stream URI component (default: 8 random hex characters). */
  readonly newStreamId?: () => string;
  /** Shared with other file-served responses (recordings); default: its own of `fileReadBudgetBytes`. */
  readonly readBudget?: ReadBudget;
  /** Recording (--record-dir): broadcasts whose on_publish asked for it are recorded. */
  readonly recorder?: RecorderOptions;
}

export interface RecorderOptions {
  readonly recordDir: string;
  /** Free bytes the record dir's disk must keep (0: not checked). */
  readonly minFreeBytes: number;
  /** Bytes queued for the disk across all recordings. */
  readonly writeBudget: ReadBudget;
  readonly notifier: RecordDoneNotifier;
  /** Tests: the free space of a directory (default statfs). */
  readonly freeBytes?: (dir: string) => Promise<number>;
}

export interface HlsService extends StreamOutputs {
  /** Serves HLS paths; returns false (and leaves `res` alone) when the path is not an HLS path. */
  handle(req: HttpRequest, res: HttpResponse, info: RequestInfo): boolean;
  /** Ends every stream and answers pending requests. */
  close(): Promise<void>;
}

export const defaultMaxSegmentBytes = 32 * 1024 * 1024;
export const defaultMaxHeldPerStream = 2000;
export const defaultMaxHeldPerAddress = 16;
export const defaultRefusalDelayMs = 1000;
/** --record-rewind-hours' default: 4 hours, ~7200 listed segments of 2 s (~5 MB with the retired ones, config.ts). */
export const defaultRewindSeconds = 4 * 3600;
export const defaultFileReadBudgetBytes = 16 * 1024 * 1024;

const streamKey = (app: string, name: string) => `${app}/${name}`;

/** Counts held requests per stream and per client; a hold is refused when either is full. */
class HoldLimits {
  private readonly perStream: AddressCounter;
  private readonly perClient: AddressCounter;

  constructor(maxPerStream: number, maxPerClient: number) {
    this.perStream = new AddressCounter(maxPerStream);
    this.perClient = new AddressCounter(maxPerClient);
  }

  /** Counts a hold; returns its release, or undefined when a cap is reached. */
  tryHold(stream: string, client: string): (() => void) | undefined {
    if (!this.perStream.tryAdd(stream)) return undefined;
    if (!this.perClient.tryAdd(client)) {
      this.perStream.remove(stream);
      return undefined;
    }
    return () => {
      this.perStream.remove(stream);
      this.perClient.remove(client);
    };
  }
}

/**
 * The client's hang-up signal, made only when a request is actually held: most requests are
 * answered at once, and a signal plus a 'close' listener on every request showed up in CPU
 * profiles. Making it is also where a hold is counted: over a cap the signal comes back aborted
 * (the wait ends at once) and `refused` tells the caller to answer 503.
 */
function holdOf(res: HttpResponse, limits: HoldLimits, stream: string, client: string): { hangUp: HangUp; refused: () => boolean } {
  let signal: HangUpSignal | undefined;
  let refused = false;
  const hangUp = () => {
    if (signal === undefined) {
      const made = (signal = new HangUpSignal());
      const release = limits.tryHold(stream, client);
      if (release === undefined) {
        refused = true;
        made.abort();
      } else {
        whenResponseDone(res, () => {
          release();
          if (!res.writableFinished) made.abort();
        });
      }
    }
    return signal;
  };
  return { hangUp, refused: () => refused };
}

export function createHlsService(options: HlsServiceOptions): HlsService {
  const streams = new Map<string, LiveStream>();
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const newStreamId = options.newStreamId ?? (() => randomBytes(4).toString('hex'));
  const { logger, recorder } = options;
  const readBudget = options.readBudget ?? new ReadBudget(options.fileReadBudgetBytes ?? defaultFileReadBudgetBytes);
  const holds = new HoldLimits(options.maxHeldPerStream ?? defaultMaxHeldPerStream, options.maxHeldPerAddress ?? defaultMaxHeldPerAddress);
  const refusalDelayMs = options.refusalDelayMs ?? defaultRefusalDelayMs;

  /**
   * 503 for a request over a hold cap, at once; then its connection is not read for
   * `refusalDelayMs`. Without the pause a client that loops its refused requests gets thousands
   * of answers a second per connection, and that rate of garbage grew the heap under a reload
   * flood. With it the client's next request waits unread, and nothing is kept for the refused
   * one (pause-reading.ts); the connection caps bound the paused connections.
   */
  function refuseHold(req: HttpRequest, res: HttpResponse): void {
    const socket = res.socket;
    sendError(req, res, 503, 'too many held requests', ['Retry-After', '1']);
    if (socket !== null) pauseReading(socket, refusalDelayMs, timers);
  }

  function open(published: PublishedStream): StreamSink {
    const key = streamKey(published.app, published.name);
    const existing = streams.get(key);
    if (existing?.ingest.canContinue) return existing.ingest.attach(published);
    // An ended stream (ENDLIST already served) is replaced: a new id, nothing stale.
    existing?.ingest.remove();
    const id = newStreamId();
    const stream = openLiveStream({
      app: published.app,
      name: published.name,
      id,
      segmentDurationMs: options.segmentDurationMs,
      partDurationMs: options.partDurationMs,
      windowSegments: options.windowSegments,
      rewindSeconds: options.rewindSeconds ?? defaultRewindSeconds,
      memorySegments: options.memorySegments,
      maxSegmentBytes: options.maxSegmentBytes ?? defaultMaxSegmentBytes,
      endGraceMs: options.endGraceMs,
      diskDir: options.hlsDir === undefined ? undefined : join(options.hlsDir, published.app, published.name),
      // Used only without a public copy: the stream writes to diskDir when it has one.
      spillDir: options.spillDir === undefined ? undefined : join(options.spillDir, id),
      logger,
      clock,
      timers,
      startRecording: recorder !== undefined && published.record === true ? (onStopped) => new Recording({
        ...recorder,
        app: published.app,
        name: published.name,
        broadcastId: newBroadcastId(clock.now()),
        segmentTarget: options.segmentDurationMs / 1000,
        logger,
        now: () => clock.now(),
        addr: published.publisherAddress,
        clientId: published.clientId,
        onStopped,
      }) : undefined,
      onRemoved: () => {
        if (streams.get(key) === stream) streams.delete(key);
      },
    });
    streams.set(key, stream);
    return stream.ingest.attach(published);
  }

  async function serve(route: HlsRoute, info: RequestInfo, req: HttpRequest, res: HttpResponse): Promise<void> {
    const key = streamKey(route.app, route.name);
    const stream = streams.get(key)?.requests;
    if (!stream) return sendError(req, res, 404, 'no such stream');
    const resource = route.resource;
    const { hangUp, refused } = holdOf(res, holds, key, info.client);
    // Over a hold cap: 503 rather than the current playlist at once, which a player would take
    // as "not there yet" and ask again for immediately, turning a flood into a loop.
    const sendRefused = () => refuseHold(req, res);
    switch (resource.type) {
      case 'multivariant': {
        const result = await stream.multivariantPlaylist(hangUp);
        return refused() ? sendRefused() : sendPlaylist(req, res, result);
      }
      case 'media': {
        const directives = parseDeliveryDirectives(new URLSearchParams(info.target.query));
        if (!directives.ok) return sendError(req, res, 400, directives.error);
        const result = await stream.mediaPlaylist(directives.directives, hangUp);
        return refused() ? sendRefused() : sendPlaylist(req, res, result);
      }
      case 'init': {
        const init = resource.id === stream.id ? stream.init(resource.initId) : undefined;
        if (!init) return sendError(req, res, 404, 'no such init section');
        return sendChunks(req, res, [init], mediaHeadersFor(stream.contentType), cacheControl.media);
      }
      case 'segment': {
        const segment = resource.id === stream.id ? stream.segment(resource.msn) : undefined;
        if (!segment) return sendError(req, res, 404, 'segment outside the live window');
        return sendStoredBytes(req, res, segment, mediaHeadersFor(stream.contentType), cacheControl.media, readBudget);
      }
      case 'part': {
        const part = resource.id === stream.id ? await stream.part(resource.index, hangUp) : undefined;
        if (refused()) return sendRefused();
        if (!part) return sendError(req, res, 404, 'part outside the live window');
        return sendStoredBytes(req, res, part, mediaHeadersFor(stream.contentType), cacheControl.media, readBudget);
      }
    }
  }

  function sendPlaylist(req: HttpRequest, res: HttpResponse, result: PlaylistResult): void {
    if (result.status !== 200) return sendError(req, res, result.status, result.message);
    sendText(req, res, result.body, playlistHeaders);
  }

  function handle(req: HttpRequest, res: HttpResponse, info: RequestInfo): boolean {
    const route = parseHlsPath(info.target.path);
    if (!route) return false;
    if (req.method === 'OPTIONS') {
      sendPreflight(res);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(req, res, 405, `method ${req.method} not allowed`, ['Allow', 'GET, HEAD, OPTIONS']);
      return true;
    }
    serve(route, info, req, res).catch((error: unknown) => {
      logger.error('hls request failed', { path: info.target.path, error: error instanceof Error ? error.message : String(error) });
      sendError(req, res, 500, 'internal error');
    });
    return true;
  }

  async function close(): Promise<void> {
    const all = [...streams.values()];
    for (const stream of all) stream.ingest.remove();
    await Promise.all(all.map((stream) => stream.ingest.diskFlushed()));
    streams.clear();
  }

  return { open, handle, close };
}
