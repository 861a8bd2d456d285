// Runs reconcileLiveChannels at start-up and then periodically: every 30 s against the bundled
// media server's stream list, every 10 min by session age when there is no list (nginx-rtmp).
import type { Db } from '../db';
import type { Env } from '../env';
import { fetchLiveStreams } from '../media-server/live-streams';
import type { CallbackLogger } from './logger';
import { reconcileLiveChannels } from './reconcile';

export interface ReconcilerOptions {
  db: Db;
  env: Pick<Env, 'MEDIA_SERVER' | 'MEDIA_SERVER_API_URL'>;
  logger: CallbackLogger;
  now?: () => Date;
  intervalMs?: number;
}

export function startReconciler({ db, env, logger, now = () => new Date(), intervalMs }: ReconcilerOptions): { stop(): void; runOnce(): Promise<void> } {
  const bundled = env.MEDIA_SERVER === 'bundled';
  const every = intervalMs ?? (bundled ? 30_000 : 600_000);
  let running = false;

  async function runOnce(): Promise<void> {
    if (running) return;
    running = true;
    try {
      let liveStreams: Awaited<ReturnType<typeof fetchLiveStreams>> | null = null;
      if (bundled) {
        try {
          liveStreams = await fetchLiveStreams(env.MEDIA_SERVER_API_URL);
        } catch (error) {
          // Not reachable (yet): do nothing rather than mark every channel offline.
          logger.warn('reconcile_skipped', { reason: error instanceof Error ? error.message : String(error) });
          return;
        }
      }
      await reconcileLiveChannels({ db, now, logger, liveStreams });
    } catch (error) {
      logger.warn('reconcile_failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      running = false;
    }
  }

  void runOnce();
  const timer = setInterval(() => void runOnce(), every);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
