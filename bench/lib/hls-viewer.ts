// One HLS viewer per stream, behaving like a player at the live edge: loads the playlist (blocking
// reload with _HLS_msn/_HLS_part when the server offers it, otherwise reloads every half target
// duration), fetches the init section once, then every new part (LL-HLS) or new segment.
// It records whether the stream kept advancing: gaps between playlist updates that add media,
// and how much media was added per wall-clock second.
import { httpGet, OwnConnection } from './http-get.js';
import { firstVariantUrl, hasParts, isMultivariant, nextPartRequest, parseMediaPlaylist, type MediaPlaylist } from './playlist.js';
import { sleep } from './time.js';

export interface ViewerStats {
  url: string;
  /** Longest wall-clock gap between two playlist loads that added media, ms (within the window). */
  maxGapMs: number;
  /** Media added to the playlist during the window, per ms of window (1.0 = real time). */
  advanceRatio: number;
  mediaRequests: number;
  mediaBytes: number;
  errors: number;
  firstError?: string;
}

export interface ViewerOptions {
  /** Give up waiting for the first playlist after this long. */
  startTimeoutMs: number;
  /**
   * Called when a part or segment body has arrived in full (HTTP 200), with its key
   * (`<msn>.<part>` for parts, `<msn>` for segments) and epochNow() at its last byte.
   */
  onDelivered?: (key: string, epochMs: number) => void;
}

export class HlsViewer {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly seen = new Set<string>();
  private readonly fetched = new Set<string>();
  private windowStart = performance.now();
  private lastAdvance = performance.now();
  private maxGapMs = 0;
  private mediaAddedMs = 0;
  private mediaRequests = 0;
  private mediaBytes = 0;
  private errors = 0;
  private firstError: string | undefined;
  private initFetched = false;
  private readonly connection = new OwnConnection();

  constructor(
    private readonly url: string,
    private readonly options: ViewerOptions,
  ) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => this.recordError(error));
  }

  /** Starts the measurement window: gaps and media added are counted from now on. */
  markWindowStart(): void {
    this.windowStart = performance.now();
    this.lastAdvance = this.windowStart;
    this.maxGapMs = 0;
    this.mediaAddedMs = 0;
  }

  async stop(): Promise<ViewerStats> {
    const now = performance.now();
    this.stopped = true;
    // A stream that stopped advancing before the end of the window has a gap up to now.
    this.maxGapMs = Math.max(this.maxGapMs, now - this.lastAdvance);
    const windowMs = now - this.windowStart;
    await this.loop;
    await this.connection.close();
    const stats: ViewerStats = {
      url: this.url,
      maxGapMs: this.maxGapMs,
      advanceRatio: windowMs > 0 ? this.mediaAddedMs / windowMs : 0,
      mediaRequests: this.mediaRequests,
      mediaBytes: this.mediaBytes,
      errors: this.errors,
    };
    if (this.firstError !== undefined) stats.firstError = this.firstError;
    return stats;
  }

  private recordError(error: unknown): void {
    this.errors += 1;
    this.firstError ??= error instanceof Error ? error.message : String(error);
  }

  private async run(): Promise<void> {
    const mediaUrl = await this.resolveMediaUrl();
    let playlist = await this.load(mediaUrl, 5_000);
    while (!this.stopped && !playlist.endList) {
      const blocking = playlist.canBlockReload && hasParts(playlist);
      let url = mediaUrl;
      if (blocking) {
        const next = nextPartRequest(playlist);
        url = `${mediaUrl}${mediaUrl.includes('?') ? '&' : '?'}_HLS_msn=${next.msn}&_HLS_part=${next.part}`;
      } else {
        await sleep(Math.max(100, playlist.targetDurationMs / 2));
      }
      try {
        // A blocking reload may legitimately be held for up to ~3 part/target durations.
        playlist = await this.load(url, Math.max(3_000, playlist.targetDurationMs * 3));
      } catch (error) {
        this.recordError(error);
        await sleep(200);
      }
    }
  }

  private async resolveMediaUrl(): Promise<string> {
    const deadline = performance.now() + this.options.startTimeoutMs;
    for (;;) {
      try {
        const res = await httpGet(this.url, 5_000, undefined, true, this.connection);
        if (res.status === 200) {
          const text = res.body.toString('utf8');
          return isMultivariant(text) ? firstVariantUrl(text, this.url) : this.url;
        }
      } catch {
        // Not up yet (connection refused while the publish starts); retried until the deadline.
      }
      if (this.stopped || performance.now() > deadline) throw new Error(`no playlist at ${this.url}`);
      await sleep(200);
    }
  }

  private async load(url: string, timeoutMs: number): Promise<MediaPlaylist> {
    const res = await httpGet(url, timeoutMs, undefined, true, this.connection);
    if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
    const playlist = parseMediaPlaylist(res.body.toString('utf8'), url);
    await this.consume(playlist);
    return playlist;
  }

  /** Notes what is new in the playlist and fetches it like a player at the live edge would. */
  private async consume(playlist: MediaPlaylist): Promise<void> {
    const useParts = hasParts(playlist);
    // Newest first, up to the first item already seen: a live playlist only grows at its end,
    // so everything before a seen item was seen too (a reload brings one or two new parts of ~80).
    const fresh: Array<{ key: string; uri: string; durationMs: number }> = [];
    const visit = (key: string, uri: string, durationMs: number): boolean => {
      if (this.seen.has(key)) return false;
      fresh.push({ key, uri, durationMs });
      return true;
    };
    const visitNewestFirst = (): void => {
      if (useParts) {
        for (let i = playlist.pendingParts.length - 1; i >= 0; i--) {
          const part = playlist.pendingParts[i]!;
          if (!visit(`${playlist.pendingMsn}.${i}`, part.uri, part.durationMs)) return;
        }
      }
      for (let s = playlist.segments.length - 1; s >= 0; s--) {
        const segment = playlist.segments[s]!;
        if (!useParts) {
          if (!visit(String(segment.msn), segment.uri, segment.durationMs)) return;
          continue;
        }
        for (let i = segment.parts.length - 1; i >= 0; i--) {
          const part = segment.parts[i]!;
          if (!visit(`${segment.msn}.${i}`, part.uri, part.durationMs)) return;
        }
      }
    };
    visitNewestFirst();
    fresh.reverse();

    const firstLoad = this.seen.size === 0;
    if (fresh.length === 0) return;
    const now = performance.now();
    if (!firstLoad) {
      this.maxGapMs = Math.max(this.maxGapMs, now - this.lastAdvance);
      this.mediaAddedMs += fresh.reduce((sum, item) => sum + item.durationMs, 0);
    }
    this.lastAdvance = now;
    for (const item of fresh) this.seen.add(item.key);

    if (playlist.mapUri !== undefined && !this.initFetched) {
      await this.fetchMedia(playlist.mapUri);
      this.initFetched = true;
    }
    // At the first load a player starts at the live edge: only the newest item is fetched.
    const toFetch = firstLoad ? fresh.slice(-1) : fresh;
    for (const item of toFetch) {
      if (this.fetched.has(item.key)) continue;
      this.fetched.add(item.key);
      await this.fetchMedia(item.uri, item.key);
    }
  }

  private async fetchMedia(uri: string, key?: string): Promise<void> {
    try {
      const res = await httpGet(uri, 10_000, undefined, false, this.connection);
      this.mediaRequests += 1;
      this.mediaBytes += res.bodyBytes;
      if (res.status !== 200) this.recordError(new Error(`GET ${uri}: HTTP ${res.status}`));
      else if (key !== undefined) this.options.onDelivered?.(key, res.doneEpochMs);
    } catch (error) {
      this.recordError(error);
    }
  }
}
