// One broadcast being recorded (CONTRACT-15 items 2-4): the stream's init sections and complete
// segments go to `<recordDir>/<app>/<name>/<broadcastId>/` through the same queued, atomic writer
// as the live segment files (hls/segment-files.ts), and each segment is appended to index.m3u8
// once its file is on disk (EVENT; rewritten as VOD + ENDLIST once finished). What a recording
// keeps in memory does not grow with its length: counters, the last segment listed, and the
// segments written but not listed yet (normally none). Writes never block
// ingest: they are queued, and the queue is bounded by a budget shared by every recording: a disk
// that cannot keep up stops the recording (finalised, kept) instead of growing memory. So does a
// disk with less free space than --record-min-free-gb, checked before the first write and at most
// every few seconds.
// While recording, the live stream serves its older segments from these files (rewind).

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { SegmentFiles, writeAtomically, writeDurablyAt } from '../hls/segment-files.js';
import { finishEventPlaylistText, serializeMediaPlaylist, serializeMediaSegment } from '../hls/playlist.js';
import type { ReadBudget } from '../hls/read-budget.js';
import { buildRecordingPlaylist, listRecordedSegments, recordingFiles, recordingTargetDuration, retargetPlaylistText, type RecordedSegment } from './recording-playlist.js';
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
  /**
   * The segments on disk, msn `written.first` to `written.last`: a recording's segments are
   * consecutive, since a write that fails (or is refused) stops it and later ones stay out.
   */
  private written: { first: number; last: number; seconds: number } | undefined;
  /** Segments on disk whose lines are not in index.m3u8 yet: the one being listed, or one whose listing failed (that stops the recording; finishing tries once more). */
  private unlisted: RecordedSegment[] = [];
  private state: State = 'recording';
  /** First msn not accepted for the recording (after a stop). */
  private acceptedUpTo = Number.POSITIVE_INFINITY;
  private lastDiskCheck: number;
  private finishing: Promise<void> | undefined;
  /** What index.m3u8 on disk holds: its length in bytes, its last segment (none: no file yet), under which target duration. */
  private onDisk: { bytes: number; last: RecordedSegment | undefined; targetDuration: number } = { bytes: 0, last: undefined, targetDuration: 0 };

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
    const written = this.written;
    return written !== undefined && msn >= written.first && msn <= written.last ? this.files.path(recordingFiles.segment(msn)) : undefined;
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
        this.countWritten(entry);
        this.unlisted.push(entry);
        stored = true;
        // A playlist that cannot be written stops the recording like any failed write (its
        // segments would otherwise pile up unlisted).
        await this.orStop(segment.msn + 1, this.writePlaylist());
      } finally {
        this.options.writeBudget.give(segment.size);
      }
    });
    this.checkDiskNow();
    return queued.then((ok) => ok && stored);
  }

  private countWritten(segment: RecordedSegment): void {
    const before = this.written;
    this.written = { first: before?.first ?? segment.msn, last: segment.msn, seconds: (before?.seconds ?? 0) + segment.duration };
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
    return this.written?.last ?? -1;
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
   * Lists the segments written since the last call in index.m3u8. They are appended (they are the
   * tail of the whole text), so an hours-long broadcast neither rewrites its playlist after every
   * segment nor keeps its segment list in memory. The whole file is written for the first
   * segment, and read and rewritten when a longer segment raises the target duration.
   */
  private async writePlaylist(): Promise<void> {
    if (this.unlisted.length === 0) return;
    const path = this.files.path(recordingFiles.playlist);
    const adding = this.unlisted;
    const targetDuration = recordingTargetDuration(adding, this.options.segmentTarget, this.onDisk.targetDuration);
    let bytes: number;
    if (this.onDisk.last === undefined) {
      const whole = Buffer.from(serializeMediaPlaylist(buildRecordingPlaylist(adding, this.options.segmentTarget, false)));
      await writeAtomically(path, [whole], true);
      bytes = whole.length;
    } else {
      const lines = listRecordedSegments(adding, this.onDisk.last).map(serializeMediaSegment).join('');
      if (targetDuration === this.onDisk.targetDuration) {
        // At the end of what the last write left (an append that failed part-way is overwritten).
        await writeDurablyAt(path, this.onDisk.bytes, lines);
        bytes = this.onDisk.bytes + Buffer.byteLength(lines);
      } else {
        const retargeted = retargetPlaylistText(await this.playlistOnDisk(), targetDuration);
        if (retargeted === undefined) throw new Error('the recording playlist has no EXT-X-TARGETDURATION');
        const whole = Buffer.from(retargeted + lines);
        await writeAtomically(path, [whole], true);
        bytes = whole.length;
      }
    }
    this.onDisk = { bytes, last: adding[adding.length - 1], targetDuration };
    this.unlisted = [];
  }

  /** index.m3u8 as the last successful write left it. */
  private async playlistOnDisk(): Promise<string> {
    const bytes = await readFile(this.files.path(recordingFiles.playlist));
    return bytes.subarray(0, this.onDisk.bytes).toString('utf8');
  }

  /** Rewrites index.m3u8 as VOD + EXT-X-ENDLIST, with every segment written. */
  private async writeFinishedPlaylist(): Promise<void> {
    await this.writePlaylist();
    const finished = finishEventPlaylistText(await this.playlistOnDisk());
    if (finished === undefined) throw new Error('the recording playlist is not an EVENT playlist with a segment');
    await writeAtomically(this.files.path(recordingFiles.playlist), [Buffer.from(finished)], true);
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
      if (this.written === undefined) {
        empty = true;
        await rm(this.dir, { recursive: true, force: true });
        return;
      }
      await this.writeFinishedPlaylist();
      await this.options.notifier.markPending(this.dir, fields);
    });
    if (empty) {
      this.options.logger.info('recording removed: no segment was recorded', this.logFields());
      return;
    }
    const written = this.written;
    this.options.logger.info('recording finished', { ...this.logFields(), reason, segments: written === undefined ? 0 : written.last - written.first + 1, seconds: Math.round((written?.seconds ?? 0) * 10) / 10 });
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
