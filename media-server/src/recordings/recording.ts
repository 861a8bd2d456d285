// One broadcast being recorded (CONTRACT-15 items 2-4): the stream's init sections and complete
// segments go to `<recordDir>/<app>/<name>/<broadcastId>/` through the same queued, atomic writer
// as the live segment files (hls/segment-files.ts), and each segment is appended to index.m3u8
// once its file is on disk (EVENT; rewritten as VOD + ENDLIST once finished). Writes never block
// ingest: they are queued, and the queue is bounded by a budget shared by every recording: a disk
// that cannot keep up stops the recording (finalised, kept) instead of growing memory. So does a
// disk with less free space than --record-min-free-gb, checked before the first write and at most
// every few seconds.
// While recording, the live stream serves its older segments from these files (rewind).

import { randomBytes } from 'node:crypto';
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { SegmentFiles, appendDurably, writeAtomically } from '../hls/segment-files.js';
import { serializeMediaPlaylist, serializeMediaSegment } from '../hls/playlist.js';
import type { ReadBudget } from '../hls/read-budget.js';
import { buildRecordingPlaylist, recordingFiles, type RecordedSegment } from './recording-playlist.js';
import type { RecordDoneNotifier, RecordDoneReason } from './record-done.js';

/** A broadcast id: base36 epoch milliseconds + random, so folders sort by start time. */
export function newBroadcastId(nowMs: number): string {
  return `${nowMs.toString(36)}${randomBytes(4).toString('hex')}`.slice(0, 32);
}

/** Free bytes for unprivileged users on the file system of `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/** How often the free space is checked while recording. */
const diskCheckIntervalMs = 5000;

export interface RecordingOptions {
  readonly recordDir: string;
  readonly app: string;
  readonly name: string;
  readonly broadcastId: string;
  /** Configured segment duration, seconds (EXT-X-TARGETDURATION). */
  readonly segmentTarget: number;
  /** Free bytes the disk must keep (0: not checked). */
  readonly minFreeBytes: number;
  /** Bytes queued for the disk across all recordings. */
  readonly writeBudget: ReadBudget;
  readonly notifier: RecordDoneNotifier;
  readonly logger: Logger;
  readonly now: () => number;
  readonly addr?: string;
  readonly clientId?: number;
  /** The recording stopped early (disk low or too slow): segments from `firstUnrecordedMsn` on are not in it. */
  readonly onStopped: (firstUnrecordedMsn: number) => void;
  /** Tests: the free space of a directory (default statfs). */
  readonly freeBytes?: (dir: string) => Promise<number>;
}

/** What the recorder needs of a complete segment. */
export interface SegmentToRecord extends RecordedSegment {
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
}

type State = 'recording' | 'stopped';

export class Recording {
  readonly dir: string;
  private readonly files: SegmentFiles;
  private readonly segments: RecordedSegment[] = [];
  private readonly written = new Set<number>();
  private state: State = 'recording';
  /** First msn not accepted for the recording (after a stop). */
  private acceptedUpTo = Number.POSITIVE_INFINITY;
  private lastDiskCheck: number;
  private finishing: Promise<void> | undefined;
  /** What index.m3u8 on disk lists: how many segments, under which target duration. */
  private onDisk = { segments: 0, targetDuration: 0 };

  constructor(private readonly options: RecordingOptions) {
    this.dir = join(options.recordDir, options.app, options.name, options.broadcastId);
    this.files = new SegmentFiles(this.dir, options.logger);
    this.lastDiskCheck = options.now();
    // Before anything is written: the folder, and enough room for it.
    void this.files.run('start', async () => {
      if (await this.diskLow()) {
        this.options.logger.warn('recording not started: free disk under --record-min-free-gb', this.logFields());
        this.stop(0);
      }
    });
  }

  get recording(): boolean {
    return this.state === 'recording';
  }

  /** The file a recorded segment is served from (rewind while live); undefined when it is not in the recording. */
  segmentPath(msn: number): string | undefined {
    return this.written.has(msn) ? this.files.path(recordingFiles.segment(msn)) : undefined;
  }

  addInit(initId: number, bytes: Uint8Array): void {
    if (this.state !== 'recording') return;
    void this.files.run(`init ${initId}`, async () => {
      if (this.state !== 'recording') return;
      await this.orStop(this.lastQueuedMsn() + 1, writeAtomically(this.files.path(recordingFiles.init(initId)), [bytes], true));
    });
  }

  /** Queues a complete segment; resolves true once it is in the recording (false: it is not, and will not be). */
  addSegment(segment: SegmentToRecord): Promise<boolean> {
    if (this.state !== 'recording') return Promise.resolve(false);
    if (!this.options.writeBudget.tryTake(segment.size)) {
      this.options.logger.warn('recording stopped: the disk does not keep up (--record-max-queue-mb)', this.logFields());
      this.stop(segment.msn);
      return Promise.resolve(false);
    }
    const entry: RecordedSegment = { msn: segment.msn, initId: segment.initId, discontinuity: segment.discontinuity, programDateTime: segment.programDateTime, duration: segment.duration };
    let stored = false;
    const queued = this.files.run(`segment ${segment.msn}`, async () => {
      try {
        // Stopped for low disk after it was queued: it stays out.
        if (segment.msn >= this.acceptedUpTo) return;
        await this.orStop(segment.msn, writeAtomically(this.files.path(recordingFiles.segment(segment.msn)), segment.chunks, true));
        this.segments.push(entry);
        this.written.add(segment.msn);
        stored = true;
        await this.writePlaylist(false);
      } finally {
        this.options.writeBudget.give(segment.size);
      }
    });
    this.checkDiskNow();
    return queued.then((ok) => ok && stored);
  }

  /**
   * A write that fails (disk full, folder gone, permissions) ends the recording with what it has:
   * otherwise the stream would keep every segment listed, in memory, for a file that never comes.
   */
  private async orStop(firstUnrecordedMsn: number, write: Promise<void>): Promise<void> {
    try {
      await write;
    } catch (error) {
      this.options.logger.warn('recording stopped: a write failed', { ...this.logFields(), error: error instanceof Error ? error.message : String(error) });
      this.stop(firstUnrecordedMsn);
      throw error;
    }
  }

  /** At most every few seconds, without holding up the segment: a low disk stops the recording. */
  private checkDiskNow(): void {
    const now = this.options.now();
    if (now - this.lastDiskCheck < diskCheckIntervalMs || this.options.minFreeBytes <= 0) return;
    this.lastDiskCheck = now;
    void this.diskLow().then((low) => {
      if (low && this.state === 'recording') {
        this.options.logger.warn('recording stopped: free disk under --record-min-free-gb', this.logFields());
        this.stop(this.lastQueuedMsn() + 1);
      }
    });
  }

  private lastQueuedMsn(): number {
    return this.segments.length > 0 ? this.segments[this.segments.length - 1]!.msn : -1;
  }

  private async diskLow(): Promise<boolean> {
    if (this.options.minFreeBytes <= 0) return false;
    try {
      await mkdir(this.dir, { recursive: true });
      return (await (this.options.freeBytes ?? freeBytes)(this.dir)) < this.options.minFreeBytes;
    } catch (error) {
      this.options.logger.warn('free disk not known', { ...this.logFields(), error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /** Stops taking segments (from `firstUnrecordedMsn` on) and finishes with reason disk-low. */
  private stop(firstUnrecordedMsn: number): void {
    if (this.state !== 'recording') return;
    this.state = 'stopped';
    this.acceptedUpTo = firstUnrecordedMsn;
    this.options.onStopped(firstUnrecordedMsn);
    void this.finish('disk-low');
  }

  /**
   * While recording, a new segment's lines are appended (they are the tail of the whole text), so
   * an hours-long broadcast does not rewrite its whole playlist after every segment; the whole
   * file is written when it starts, when the target duration grows, and when it is finished.
   */
  private async writePlaylist(finished: boolean): Promise<void> {
    const playlist = buildRecordingPlaylist(this.segments, this.options.segmentTarget, finished);
    const path = this.files.path(recordingFiles.playlist);
    if (!finished && this.onDisk.segments > 0 && playlist.targetDuration === this.onDisk.targetDuration) {
      await appendDurably(path, playlist.segments.slice(this.onDisk.segments).map(serializeMediaSegment).join(''));
    } else {
      await writeAtomically(path, [Buffer.from(serializeMediaPlaylist(playlist))], true);
    }
    this.onDisk = { segments: playlist.segments.length, targetDuration: playlist.targetDuration };
  }

  /**
   * Finishes the recording once every queued write is done: VOD playlist, then on_record_done.
   * A recording with no segment is removed instead. Later calls return the first call's promise.
   */
  finish(reason: RecordDoneReason): Promise<void> {
    this.finishing ??= this.finishOnce(reason);
    return this.finishing;
  }

  private async finishOnce(reason: RecordDoneReason): Promise<void> {
    this.state = 'stopped';
    const { app, name, broadcastId, addr, clientId } = this.options;
    const fields = { app, name, broadcastId, path: this.files.path(recordingFiles.playlist), reason, addr, clientId };
    let empty = false;
    await this.files.run('finish', async () => {
      if (this.segments.length === 0) {
        empty = true;
        await rm(this.dir, { recursive: true, force: true });
        return;
      }
      await this.writePlaylist(true);
      await this.options.notifier.markPending(this.dir, fields);
    });
    if (empty) {
      this.options.logger.info('recording removed: no segment was recorded', this.logFields());
      return;
    }
    const duration = this.segments.reduce((sum, segment) => sum + segment.duration, 0);
    this.options.logger.info('recording finished', { ...this.logFields(), reason, segments: this.segments.length, seconds: Math.round(duration * 10) / 10 });
    await this.options.notifier.announce(this.dir, fields);
  }

  /** Resolves when queued writes are done (tests, shutdown). */
  flushed(): Promise<void> {
    return this.files.flushed();
  }

  private logFields(): Record<string, string> {
    return { app: this.options.app, name: this.options.name, broadcast: this.options.broadcastId };
  }
}
