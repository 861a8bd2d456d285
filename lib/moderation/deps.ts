// What the moderation functions need besides the database: a way to end a publish on the media
// server, a clock, a log and the kick cooldown. Production builds them from the environment;
// tests pass their own (a real media server's URL, a fixed clock).
import { getEnv } from '../env';
import { streamStopperFromEnv, type StreamStopper } from '../media-server/stream-stopper';
import { consoleCallbackLogger, type CallbackLogger } from '../rtmp-callbacks/logger';

export interface ModerationDeps {
  stopper: StreamStopper;
  now: () => Date;
  logger: CallbackLogger;
  /** Default cooldown after a kick (KICK_BLOCK_MINUTES). */
  kickBlockMs: number;
}

export function moderationDepsFromEnv(): ModerationDeps {
  const env = getEnv();
  return {
    stopper: streamStopperFromEnv(env),
    now: () => new Date(),
    logger: consoleCallbackLogger,
    kickBlockMs: env.KICK_BLOCK_MINUTES * 60_000,
  };
}
