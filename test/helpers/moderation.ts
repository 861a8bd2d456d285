// ModerationDeps for tests that call lib/moderation in-process: the real stoppers (HTTP clients)
// aimed at a real media server started by the test, or at a port where nothing listens (a media
// server that cannot be reached), never at the default ports.
import { systemClock, type Clock } from '../../lib/clock';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import type { ModerationDeps } from '../../lib/moderation/deps';
import { endLiveStream } from '../../lib/moderation/end-live-stream';
import { streamStopperFromEnv } from '../../lib/media-server/stream-stopper';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { recordingLogger } from './logger';

export interface TestModerationOptions {
  /** bundled: `apiUrl` is the media server's /api/streams URL; nginx-rtmp: `controlUrl`. */
  mediaServer: 'bundled' | 'nginx-rtmp';
  apiUrl?: string;
  token?: string;
  controlUrl?: string;
  clock?: Clock;
  kickBlockMs?: number;
  logger?: Logger;
}

export function testModerationDeps(options: TestModerationOptions): ModerationDeps {
  return {
    stopper: streamStopperFromEnv({
      MEDIA_SERVER: options.mediaServer,
      MEDIA_SERVER_API_URL: options.apiUrl ?? 'http://127.0.0.1:9/api/streams',
      MEDIA_SERVER_API_TOKEN: options.token,
      NGINX_RTMP_CONTROL_URL: options.controlUrl ?? 'http://127.0.0.1:9/control',
    }),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? recordingLogger(),
    kickBlockMs: options.kickBlockMs ?? 5 * 60_000,
  };
}

/** Deps whose media server cannot be reached (a free loopback port nobody listens on). */
export async function unreachableModerationDeps(clock?: Clock): Promise<ModerationDeps> {
  return testModerationDeps({ mediaServer: 'bundled', apiUrl: `http://127.0.0.1:${await freePort()}/api/streams`, clock });
}

/** resetStreamKey's endStream argument for a media server that cannot be reached. */
export async function endStreamUnreachable(): Promise<(db: Db, channelId: string) => Promise<{ wasLive: boolean }>> {
  const deps = await unreachableModerationDeps();
  return (db, channelId) => endLiveStream(db, channelId, { reason: 'key_reset' }, deps);
}
