// The production wiring of recordings: env, the shared database, the real clock; retention after
// each registration, at start-up and hourly (instrumentation.ts starts the timer).
import { systemClock } from '../clock';
import { getDb } from '../db';
import { getEnv } from '../env';
import { consoleLogger, errorMessage } from '../logger';
import type { RecordDoneContext } from './record-done';
import { applyRetention } from './retention';
import { getSiteRecordingLimits } from './settings';

export const RETENTION_INTERVAL_MS = 60 * 60_000;

export async function runRetention(): Promise<number> {
  const env = getEnv();
  const db = getDb();
  return applyRetention({ db, logger: consoleLogger, recordDir: env.RECORD_DIR, nowMs: systemClock.now(), site: await getSiteRecordingLimits(db, env) });
}

export function recordDoneContext(): RecordDoneContext {
  const env = getEnv();
  return {
    db: getDb(),
    clock: systemClock,
    logger: consoleLogger,
    callbackSecret: env.RTMP_CALLBACK_SECRET,
    recordDir: env.RECORD_DIR,
    recordPath: env.RECORD_PATH,
    minFreeGb: env.RECORDINGS_MIN_FREE_GB,
    afterRegister: async () => {
      await runRetention();
    },
  };
}

/** Retention now and every hour; returns the stop function. */
export function startRetentionTimer(): () => void {
  const run = () => void runRetention().catch((error: unknown) => consoleLogger.error('retention_failed', { error: errorMessage(error) }));
  run();
  const timer = setInterval(run, RETENTION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
