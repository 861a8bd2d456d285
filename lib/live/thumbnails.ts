// Recent frames of live channels, for the directory. ffmpeg reads the channel's live HLS and
// writes one scaled JPEG; a refresh runs in the background at most every `refreshMs` per channel
// (sooner after a failure, since a stream that just started has no segment yet), with a bounded
// number of ffmpeg processes at once. Pages only ever read the file that is already there, so a
// slow or missing ffmpeg never holds up a render; without ffmpeg the placeholder SVG is served.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { runFfmpeg } from '../ffmpeg';
import { consoleLogger, errorMessage, type Logger } from '../logger';
import { isSlug } from './slug';

/** Grabs one frame of `playlistUrl` into `outFile` (JPEG); rejects on failure. */
export interface FrameGrabber {
  available(): Promise<boolean>;
  grab(playlistUrl: string, outFile: string): Promise<void>;
}

export interface ThumbnailStoreOptions {
  readonly dir: string;
  readonly grabber: FrameGrabber;
  readonly clock: Clock;
  /** Minimum time between two successful grabs of one channel (default 30 s). */
  readonly refreshMs?: number;
  /** Wait after a failed grab before trying again (default 5 s, doubling per failure up to refreshMs). */
  readonly retryMs?: number;
  /** ffmpeg processes running at once (default 2). */
  readonly maxConcurrent?: number;
  readonly logger?: Logger;
}

export interface Thumbnail {
  readonly jpeg: Buffer;
  readonly updatedAt: Date;
}

export class ThumbnailStore {
  private readonly dir: string;
  private readonly grabber: FrameGrabber;
  private readonly clock: Clock;
  private readonly refreshMs: number;
  private readonly retryMs: number;
  private readonly maxConcurrent: number;
  private readonly logger: Logger;
  /** slug -> when the next grab may start. */
  private readonly notBefore = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** slug -> failed grabs in a row, for the backoff. */
  private readonly failures = new Map<string, number>();
  private ffmpeg: Promise<boolean> | null = null;

  constructor(options: ThumbnailStoreOptions) {
    this.dir = options.dir;
    this.grabber = options.grabber;
    this.clock = options.clock;
    this.refreshMs = options.refreshMs ?? 30_000;
    this.retryMs = options.retryMs ?? 5_000;
    this.maxConcurrent = options.maxConcurrent ?? 2;
    this.logger = options.logger ?? consoleLogger;
  }

  /**
   * Starts a background grab when this channel's frame is due; returns the grab in flight (or
   * null when nothing was started) so tests and callers that want to wait can.
   */
  refresh(slug: string, playlistUrl: string): Promise<void> | null {
    if (!isSlug(slug)) return null;
    const running = this.inFlight.get(slug);
    if (running) return running;
    if (this.clock.now() < (this.notBefore.get(slug) ?? 0)) return null;
    if (this.inFlight.size >= this.maxConcurrent) return null;
    // Claim the slot before the first await so concurrent calls cannot both start ffmpeg.
    this.notBefore.set(slug, this.clock.now() + this.retryMs);
    const job = this.grab(slug, playlistUrl).finally(() => this.inFlight.delete(slug));
    this.inFlight.set(slug, job);
    return job;
  }

  /** The last frame grabbed for this channel, or null. */
  async read(slug: string): Promise<Thumbnail | null> {
    if (!isSlug(slug)) return null;
    const file = this.fileOf(slug);
    try {
      const [jpeg, info] = await Promise.all([readFile(file), stat(file)]);
      return { jpeg, updatedAt: info.mtime };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Drops a channel's frame (it went offline: an old frame would misrepresent the next stream). */
  async forget(slug: string): Promise<void> {
    if (!isSlug(slug)) return;
    this.notBefore.delete(slug);
    this.failures.delete(slug);
    await rm(this.fileOf(slug), { force: true });
  }

  private async grab(slug: string, playlistUrl: string): Promise<void> {
    this.ffmpeg ??= this.grabber.available();
    if (!(await this.ffmpeg)) {
      // No ffmpeg: the placeholder is the thumbnail. Check again much later (it may get installed).
      this.notBefore.set(slug, this.clock.now() + 10 * this.refreshMs);
      return;
    }
    const partial = join(this.dir, `${slug}.${process.pid}.partial.jpg`);
    try {
      await mkdir(this.dir, { recursive: true });
      await this.grabber.grab(playlistUrl, partial);
      // rename() is atomic: readers see the old frame or the new one, never half a file.
      await rename(partial, this.fileOf(slug));
      this.notBefore.set(slug, this.clock.now() + this.refreshMs);
      this.failures.delete(slug);
    } catch (error) {
      const failures = (this.failures.get(slug) ?? 0) + 1;
      this.failures.set(slug, failures);
      this.notBefore.set(slug, this.clock.now() + Math.min(this.retryMs * 2 ** (failures - 1), this.refreshMs));
      this.logger.warn('thumbnail_failed', { slug, error: errorMessage(error) });
      await rm(partial, { force: true }).catch((cleanupError: unknown) => this.logger.warn('thumbnail_cleanup_failed', { slug, error: errorMessage(cleanupError) }));
    }
  }

  private fileOf(slug: string): string {
    return join(this.dir, `${slug}.jpg`);
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** The real grabber: ffmpeg reading the live HLS, one frame scaled to 640 px wide. */
export function ffmpegFrameGrabber(options: { ffmpegPath?: string; timeoutMs?: number } = {}): FrameGrabber {
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    available: () =>
      new Promise((resolve) => {
        const child = spawn(/*turbopackIgnore: true*/ ffmpeg, ['-hide_banner', '-version'], { stdio: 'ignore' });
        child.once('error', () => resolve(false));
        child.once('exit', (code) => resolve(code === 0));
      }),
    // -live_start_index -1: start at the newest segment, so the frame is recent.
    grab: (playlistUrl, outFile) =>
      runFfmpeg(
        [
          '-live_start_index', '-1', '-rw_timeout', String(timeoutMs * 1000),
          '-i', playlistUrl,
          '-an', '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '5', '-f', 'image2', outFile,
        ],
        { ffmpegPath: ffmpeg, timeoutMs },
      ),
  };
}
