// What the moderation functions need besides the database: a way to end a publish on the media
// server, a clock, a log and the kick cooldown. Production builds them from the environment;
// tests pass their own (a real media server's URL, a fixed clock).
import { systemClock, type Clock } from '../clock';
import { getEnv } from '../env';
import { consoleLogger, type Logger } from '../logger';
import { streamStopperFromEnv, type StreamStopper } from '../media-server/stream-stopper';

export interface ModerationDeps {
  stopper: StreamStopper;
  clock: Clock;
  logger: Logger;
  /** Default cooldown after a kick (KICK_BLOCK_MINUTES). */
  kickBlockMs: number;
}

export function moderationDepsFromEnv(): ModerationDeps {
  const env = getEnv();
  return {
    stopper: streamStopperFromEnv(env),
    clock: systemClock,
    logger: consoleLogger,
    kickBlockMs: env.KICK_BLOCK_MINUTES * 60_000,
  };
}
