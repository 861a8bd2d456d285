// on_record_done (CONTRACT-15 item 3): tells the web app a recording is finished, in nginx-rtmp's
// form. Until the web app has answered 2xx, the broadcast folder holds a marker file naming the
// fields, so a server that stops (or gives up retrying) re-announces it at its next start
// (recovery.ts). Retries back off and end: a web app that is down for long is caught up with then.
// Only an unreachable web app, a 5xx, 408 or 429 is retried: the web app answers 4xx for a request
// that cannot succeed (app/api/rtmp/on-record-done: "4xx = this request can never succeed").

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { escapeArg, postNotifyForm } from '../hooks/notify-form.js';
import type { Logger } from '../logger.js';

export const recordDoneReasons = ['ended', 'disk-low', 'recovered'] as const;
export type RecordDoneReason = (typeof recordDoneReasons)[number];

export interface RecordDoneFields {
  readonly app: string;
  readonly name: string;
  readonly broadcastId: string;
  /** Absolute path of the broadcast folder's index.m3u8. */
  readonly path: string;
  readonly reason: RecordDoneReason;
  readonly addr?: string;
  readonly clientId?: number;
}

/** The file in a broadcast folder while its on_record_done has not been answered 2xx. */
export const pendingMarker = 'record-done.pending';

const markerSchema = z.object({
  app: z.string().max(256),
  name: z.string().max(256),
  broadcastId: z.string().max(64),
  path: z.string().max(4096),
  reason: z.enum(recordDoneReasons),
  addr: z.string().max(64).optional(),
  clientId: z.number().int().nonnegative().optional(),
});

export function encodeRecordDoneForm(fields: RecordDoneFields): string {
  const pairs: Array<[string, string]> = [['app', fields.app]];
  if (fields.addr !== undefined) pairs.push(['addr', fields.addr]);
  if (fields.clientId !== undefined) pairs.push(['clientid', String(fields.clientId)]);
  pairs.push(['call', 'record_done'], ['recorder', 'onair'], ['name', fields.name], ['path', fields.path], ['onair_broadcast', fields.broadcastId], ['onair_reason', fields.reason]);
  return pairs.map(([key, value]) => `${key}=${escapeArg(value)}`).join('&');
}

/** The fields a marker file holds; undefined when it is missing or not ours. */
export async function readPendingMarker(folder: string): Promise<RecordDoneFields | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, pendingMarker), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = markerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface RecordDoneOptions {
  /** --on-record-done; absent: nothing is posted and no marker is kept. */
  readonly url: string | undefined;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Waits between tries (default about 4 minutes in all); then the next start retries. */
  readonly retryDelaysMs?: readonly number[];
}

export const defaultRetryDelaysMs: readonly number[] = [1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000];

export class RecordDoneNotifier {
  private readonly retryTimers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(private readonly options: RecordDoneOptions) {}

  /**
   * Leaves the marker that makes the next start announce the recording if this one does not get
   * through. Written before the post, in the recording's write queue, so a shutdown right after
   * finishing still leaves it. Nothing when no --on-record-done is configured.
   */
  async markPending(folder: string, fields: RecordDoneFields): Promise<void> {
    if (this.options.url === undefined) return;
    await writeFile(join(folder, pendingMarker), JSON.stringify(fields));
  }

  /**
   * Posts until a 2xx (the marker is removed) or the retries run out (the marker stays). Resolves
   * true once the web app has answered 2xx.
   */
  async announce(folder: string, fields: RecordDoneFields): Promise<boolean> {
    const { url, logger } = this.options;
    if (url === undefined || this.closed) return false;
    const logFields = { app: fields.app, name: fields.name, broadcast: fields.broadcastId, reason: fields.reason };
    const body = encodeRecordDoneForm(fields);
    const delays = this.options.retryDelaysMs ?? defaultRetryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      let outcome: string;
      try {
        const { status } = await postNotifyForm(url, body, { timeoutMs: this.options.timeoutMs });
        if (status >= 200 && status < 300) {
          await rm(join(folder, pendingMarker), { force: true }).catch(() => undefined);
          logger.info('on_record_done sent', { ...logFields, status });
          return true;
        }
        if (isFinalRefusal(status)) {
          // The web app's 4xx means this request can never succeed as it is (bad secret, a path
          // outside its RECORD_DIR, a malformed form): retrying now only repeats it. The marker
          // stays, so the next start (after the operator fixed the configuration) announces it again.
          logger.warn('on_record_done refused; announced again at the next start', { ...logFields, status });
          return false;
        }
        outcome = `status ${status}`;
      } catch (error) {
        outcome = describe(error);
      }
      const delay = delays[attempt];
      if (delay === undefined || this.closed) {
        logger.warn('on_record_done not accepted; announced again at the next start', { ...logFields, attempts: attempt + 1, last: outcome });
        return false;
      }
      logger.warn('on_record_done failed; retrying', { ...logFields, attempt: attempt + 1, inMs: delay, last: outcome });
      await this.wait(delay);
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.retryTimers.set(timer, resolve);
    });
  }

  /** Stops retrying (shutdown): recordings not yet accepted keep their marker. */
  close(): void {
    this.closed = true;
    for (const [timer, resolve] of this.retryTimers) {
      clearTimeout(timer);
      resolve();
    }
    this.retryTimers.clear();
  }
}

/** A 4xx other than 408 (timeout) and 429 (too many requests): the web app will not take it on a retry. */
export function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
