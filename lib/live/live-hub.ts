// The one loop per process that tells open pages what changed.
//
// on_publish / on_publish_done (app/api/rtmp/...) write Channel.isLive and liveSince to the database,
// possibly from another process. While at least one page listens, the hub polls once per interval
// with ONE query shared by every connection (all live channels plus the channels being watched),
// compares with what each listener was last told, and pushes only the differences. Viewer counts
// come from ViewerPresence; rising peaks are written to the open StreamSession.
import type { Clock } from '../clock';
import { consoleLogger, errorMessage, type Logger } from '../logger';
import { PeakTracker } from './peak-tracker';
import type { ViewerPresence } from './presence';
import type { ChannelStatus, ChannelSummary, DirectorySnapshot, LiveEventMap } from './types';

/** A channel as the hub reads it from the database. */
export interface ChannelRow {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly category: string | null;
  readonly streamer: string;
  readonly isLive: boolean;
  readonly liveSince: Date | null;
  readonly lastLiveAt: Date | null;
}

/** The hub's view of storage; lib/live/live-data.ts implements it with Prisma. */
export interface LiveDataSource {
  /** One query: every live channel plus the channels whose ids are given. */
  channels(ids: readonly string[]): Promise<ChannelRow[]>;
  /** Channels that are offline now and were live before, most recent first. */
  recentlyLive(limit: number): Promise<ChannelRow[]>;
  /** Raises the open session's peakViewers to `viewers` if it is lower. */
  recordPeak(channelId: string, viewers: number): Promise<void>;
}

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface LiveHubOptions {
  readonly source: LiveDataSource;
  readonly presence: ViewerPresence;
  readonly clock: Clock;
  /** Poll period (default 1 s). */
  readonly intervalMs?: number;
  /** How many recently live channels the directory lists (default 12). */
  readonly recentLimit?: number;
  /** Re-read the recently-live list at least this often even when the live set is unchanged (default 30 s). */
  readonly recentRefreshMs?: number;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** Called after every successful poll with the live channels (thumbnail refresh hangs here). */
  readonly onLiveChannels?: (live: readonly ChannelRow[]) => void;
}

export type ChannelListener = <K extends 'status' | 'viewers'>(event: K, data: LiveEventMap[K]) => void;
export type DirectoryListener = (snapshot: DirectorySnapshot) => void;

interface ChannelWatcher {
  readonly channelId: string;
  readonly listener: ChannelListener;
  lastStatus: string;
  lastViewers: number;
}

interface DirectoryWatcher {
  readonly listener: DirectoryListener;
  last: string;
}

const defaultTimers: Timers = {
  setInterval: (callback, ms) => {
    const handle = setInterval(callback, ms);
    // The loop must never keep a process alive on its own.
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export function toChannelStatus(row: ChannelRow): ChannelStatus {
  return {
    isLive: row.isLive,
    liveSince: row.liveSince?.toISOString() ?? null,
    lastLiveAt: row.lastLiveAt?.toISOString() ?? null,
    title: row.title,
    description: row.description,
    category: row.category,
  };
}

export function toChannelSummary(row: ChannelRow, viewers: number): ChannelSummary {
  return {
    slug: row.slug,
    title: row.title,
    category: row.category,
    streamer: row.streamer,
    isLive: row.isLive,
    liveSince: row.liveSince?.toISOString() ?? null,
    lastLiveAt: row.lastLiveAt?.toISOString() ?? null,
    viewers,
  };
}

/** Live channels newest first (the directory's order). */
export function sortLive(rows: readonly ChannelRow[]): ChannelRow[] {
  return rows.filter((r) => r.isLive).sort((a, b) => (b.liveSince?.getTime() ?? 0) - (a.liveSince?.getTime() ?? 0));
}

export class LiveHub {
  private readonly source: LiveDataSource;
  private readonly presence: ViewerPresence;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly recentLimit: number;
  private readonly recentRefreshMs: number;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly onLiveChannels: ((live: readonly ChannelRow[]) => void) | undefined;
  private readonly peaks = new PeakTracker();
  private readonly channelWatchers = new Set<ChannelWatcher>();
  private readonly directoryWatchers = new Set<DirectoryWatcher>();
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private recent: { rows: ChannelRow[]; liveKey: string; at: number } | null = null;
  /** The last directory snapshot sent and when it was read, so a new directory page needs no poll of its own. */
  private lastDirectory: { text: string; at: number } | null = null;
  /** channelId -> liveSince of the channels seen live in the previous poll. */
  private liveBefore = new Map<string, string>();

  constructor(options: LiveHubOptions) {
    this.source = options.source;
    this.presence = options.presence;
    this.clock = options.clock;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.recentLimit = options.recentLimit ?? 12;
    this.recentRefreshMs = options.recentRefreshMs ?? 30_000;
    this.timers = options.timers ?? defaultTimers;
    this.logger = options.logger ?? consoleLogger;
    this.onLiveChannels = options.onLiveChannels;
  }

  /**
   * Follows one channel. `initial` is the row the caller just read; the listener gets it at once
   * (status, then viewers) and afterwards only changes. Returns the unsubscribe function.
   */
  watchChannel(initial: ChannelRow, listener: ChannelListener): () => void {
    const status = toChannelStatus(initial);
    const watcher: ChannelWatcher = { channelId: initial.id, listener, lastStatus: JSON.stringify(status), lastViewers: -1 };
    this.channelWatchers.add(watcher);
    listener('status', status);
    this.sendViewers(watcher, this.presence.count(initial.id));
    this.ensureRunning();
    return () => {
      this.channelWatchers.delete(watcher);
      this.stopIfIdle();
    };
  }

  /** Follows the directory: a full snapshot now (as soon as one is read) and whenever it changes. */
  watchDirectory(listener: DirectoryListener): () => void {
    const watcher: DirectoryWatcher = { listener, last: '' };
    this.directoryWatchers.add(watcher);
    this.ensureRunning();
    const recent = this.lastDirectory;
    if (recent && this.clock.now() - recent.at < 2 * this.intervalMs) {
      // A snapshot from the last poll is current enough: many pages opening at once cost no queries.
      watcher.last = recent.text;
      listener(JSON.parse(recent.text) as DirectorySnapshot);
    } else {
      void this.tick();
    }
    return () => {
      this.directoryWatchers.delete(watcher);
      this.stopIfIdle();
    };
  }

  /** Reads the directory once, for a server-rendered page. */
  async directory(): Promise<DirectorySnapshot> {
    const rows = await this.source.channels([]);
    const recent = await this.source.recentlyLive(this.recentLimit);
    return this.snapshot(sortLive(rows), recent);
  }

  /** The current viewer count of a channel (for server-rendered pages). */
  viewers(channelId: string): number {
    return this.presence.count(channelId);
  }

  get listening(): boolean {
    return this.channelWatchers.size > 0 || this.directoryWatchers.size > 0;
  }

  /** One poll. Overlapping calls share the poll in flight. */
  tick(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async poll(): Promise<void> {
    this.presence.sweep();
    const watchedIds = [...new Set([...this.channelWatchers].map((w) => w.channelId))];
    let rows: ChannelRow[];
    try {
      rows = await this.source.channels(watchedIds);
    } catch (error) {
      this.logger.error('live_poll_failed', { error: errorMessage(error) });
      return;
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    const live = sortLive(rows);

    for (const watcher of this.channelWatchers) {
      const row = byId.get(watcher.channelId);
      if (!row) continue; // deleted channel: the page keeps its last state
      const status = toChannelStatus(row);
      const key = JSON.stringify(status);
      if (key !== watcher.lastStatus) {
        watcher.lastStatus = key;
        watcher.listener('status', status);
      }
      this.sendViewers(watcher, this.presence.count(row.id));
    }

    await this.recordPeaks(live);

    if (this.directoryWatchers.size > 0) {
      const recent = await this.recentRows(live);
      const text = JSON.stringify(this.snapshot(live, recent));
      this.lastDirectory = { text, at: this.clock.now() };
      for (const watcher of this.directoryWatchers) {
        if (watcher.last === text) continue;
        watcher.last = text;
        watcher.listener(JSON.parse(text) as DirectorySnapshot);
      }
    }

    try {
      this.onLiveChannels?.(live);
    } catch (error) {
      this.logger.error('live_channels_callback_failed', { error: errorMessage(error) });
    }
  }

  private sendViewers(watcher: ChannelWatcher, viewers: number): void {
    if (viewers === watcher.lastViewers) return;
    watcher.lastViewers = viewers;
    watcher.listener('viewers', { viewers });
  }

  private async recordPeaks(live: readonly ChannelRow[]): Promise<void> {
    const now = new Map<string, string>();
    for (const row of live) {
      const session = row.liveSince?.toISOString() ?? '';
      now.set(row.id, session);
      const peak = this.peaks.observe(row.id, session, this.presence.count(row.id));
      if (peak === null) continue;
      try {
        await this.source.recordPeak(row.id, peak);
      } catch (error) {
        this.peaks.retry(row.id, session, peak);
        this.logger.error('peak_viewers_not_recorded', { slug: row.slug, error: errorMessage(error) });
      }
    }
    for (const id of this.liveBefore.keys()) if (!now.has(id)) this.peaks.end(id);
    this.liveBefore = now;
  }

  private async recentRows(live: readonly ChannelRow[]): Promise<ChannelRow[]> {
    const liveKey = live.map((r) => r.id).join(',');
    const at = this.clock.now();
    if (this.recent && this.recent.liveKey === liveKey && at - this.recent.at < this.recentRefreshMs) return this.recent.rows;
    try {
      const rows = await this.source.recentlyLive(this.recentLimit);
      this.recent = { rows, liveKey, at };
      return rows;
    } catch (error) {
      this.logger.error('recently_live_read_failed', { error: errorMessage(error) });
      return this.recent?.rows ?? [];
    }
  }

  private snapshot(live: readonly ChannelRow[], recent: readonly ChannelRow[]): DirectorySnapshot {
    const liveIds = new Set(live.map((r) => r.id));
    return {
      live: live.map((row) => toChannelSummary(row, this.presence.count(row.id))),
      recent: recent.filter((row) => !liveIds.has(row.id) && !row.isLive).map((row) => toChannelSummary(row, 0)),
    };
  }

  private ensureRunning(): void {
    if (this.timer !== null) return;
    this.timer = this.timers.setInterval(() => void this.tick(), this.intervalMs);
  }

  private stopIfIdle(): void {
    if (this.listening || this.timer === null) return;
    this.timers.clearInterval(this.timer);
    this.timer = null;
  }
}
