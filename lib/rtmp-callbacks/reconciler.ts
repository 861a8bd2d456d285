// Runs reconcileLiveChannels at start-up and then periodically: every 30 s against the bundled
// media server's stream list; every 10 s in nginx-rtmp mode, which has no list, ending sessions
// whose on_update heartbeat stopped (on_publish_done lost). The shipped nginx configs send
// on_update every 20 s (notify_update_timeout), so a 45 s timeout survives one lost update and a
// stream whose end went unreported is offline within 55 s.
import { systemClock, type Clock } from '../clock';
import type { Db } from '../db';
import type { Env } from '../env';
import { errorMessage, type Logger } from '../logger';
import { fetchLiveStreams } from '../media-server/live-streams';
import { reconcileLiveChannels } from './reconcile';

export interface ReconcilerOptions {
  db: Db;
  env: Pick<Env, 'MEDIA_SERVER' | 'MEDIA_SERVER_API_URL' | 'MEDIA_SERVER_API_TOKEN'>;
  logger: Logger;
  clock?: Clock;
  intervalMs?: number;
}

/** nginx-rtmp mode: a session not heard of for this long is ended (see above). */
export const NGINX_HEARTBEAT_TIMEOUT_MS = 45_000;
const NGINX_SWEEP_INTERVAL_MS = 10_000;
const BUNDLED_RECONCILE_INTERVAL_MS = 30_000;

export function startReconciler({ db, env, logger, clock = systemClock, intervalMs }: ReconcilerOptions): { stop(): void; runOnce(): Promise<void> } {
  const bundled = env.MEDIA_SERVER === 'bundled';
  const every = intervalMs ?? (bundled ? BUNDLED_RECONCILE_INTERVAL_MS : NGINX_SWEEP_INTERVAL_MS);
  let running = false;

  async function runOnce(): Promise<void> {
    if (running) return;
    running = true;
    try {
      let liveStreams: Awaited<ReturnType<typeof fetchLiveStreams>> | null = null;
      if (bundled) {
        try {
          liveStreams = await fetchLiveStreams(env.MEDIA_SERVER_API_URL, { token: env.MEDIA_SERVER_API_TOKEN });
        } catch (error) {
          // Not reachable (yet): do nothing rather than mark every channel offline.
          logger.warn('reconcile_skipped', { reason: errorMessage(error) });
          return;
        }
      }
      await reconcileLiveChannels({ db, clock, logger, liveStreams, heartbeatTimeoutMs: bundled ? undefined : NGINX_HEARTBEAT_TIMEOUT_MS });
    } catch (error) {
      logger.warn('reconcile_failed', { error: errorMessage(error) });
    } finally {
      running = false;
    }
  }

  void runOnce();
  const timer = setInterval(() => void runOnce(), every);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
