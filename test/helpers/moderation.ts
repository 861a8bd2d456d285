// ModerationDeps for tests that call lib/moderation in-process: the real stoppers (HTTP clients)
// aimed at a real media server started by the test, or at a port where nothing listens (a media
// server that cannot be reached), never at the default ports.
import type { Db } from '../../lib/db';
import type { ModerationDeps } from '../../lib/moderation/deps';
import { endLiveStream } from '../../lib/moderation/end-live-stream';
import { streamStopperFromEnv } from '../../lib/media-server/stream-stopper';
import type { CallbackLogger } from '../../lib/rtmp-callbacks/logger';
import { freePort } from '../../media-server/test/helpers/ports.js';

export interface TestModerationOptions {
  /** bundled: `apiUrl` is the media server's /api/streams URL; nginx-rtmp: `controlUrl`. */
  mediaServer: 'bundled' | 'nginx-rtmp';
  apiUrl?: string;
  token?: string;
  controlUrl?: string;
  now?: () => Date;
  kickBlockMs?: number;
  logger?: CallbackLogger;
}

export function testModerationDeps(options: TestModerationOptions): ModerationDeps {
  const lines: string[] = [];
  return {
    stopper: streamStopperFromEnv({
      MEDIA_SERVER: options.mediaServer,
      MEDIA_SERVER_API_URL: options.apiUrl ?? 'http://127.0.0.1:9/api/streams',
      MEDIA_SERVER_API_TOKEN: options.token,
      NGINX_RTMP_CONTROL_URL: options.controlUrl ?? 'http://127.0.0.1:9/control',
    }),
    now: options.now ?? (() => new Date()),
    logger: options.logger ?? { info: (e, f) => lines.push(JSON.stringify({ e, ...f })), warn: (e, f) => lines.push(JSON.stringify({ e, ...f })) },
    kickBlockMs: options.kickBlockMs ?? 5 * 60_000,
  };
}

/** Deps whose media server cannot be reached (a free loopback port nobody listens on). */
export async function unreachableModerationDeps(now?: () => Date): Promise<ModerationDeps> {
  return testModerationDeps({ mediaServer: 'bundled', apiUrl: `http://127.0.0.1:${await freePort()}/api/streams`, now });
}

/** resetStreamKey's endStream argument for a media server that cannot be reached. */
export async function endStreamUnreachable(): Promise<(db: Db, channelId: string) => Promise<{ wasLive: boolean }>> {
  const deps = await unreachableModerationDeps();
  return (db, channelId) => endLiveStream(db, channelId, { reason: 'key_reset' }, deps);
}
