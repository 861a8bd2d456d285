// The production wiring for callback routes: the shared database, the real clock, the console
// decision log and, for the bundled media server, its live stream list.
import { systemClock } from '../clock';
import { getDb } from '../db';
import { getEnv } from '../env';
import { consoleLogger, errorMessage } from '../logger';
import { getLiveRuntime } from '../live/runtime';
import { fetchLiveStreams } from '../media-server/live-streams';
import { shouldRecord } from '../recordings/record-decision';
import type { CallbackContext } from './handle-callback';
import { nginxRelayUrlFromEnv } from './nginx-relay';

export function callbackContext(): CallbackContext {
  const env = getEnv();
  const nginxRelayUrl = env.MEDIA_SERVER === 'nginx-rtmp' ? nginxRelayUrlFromEnv(process.env) : undefined;
  return {
    db: getDb(),
    clock: systemClock,
    logger: consoleLogger,
    callbackSecret: env.RTMP_CALLBACK_SECRET,
    nginxRelayUrl,
    refuseKeyAsName: env.MEDIA_SERVER === 'nginx-rtmp' && nginxRelayUrl === undefined,
    shouldRecord: (channelId) =>
      shouldRecord({ db: getDb(), clock: systemClock, logger: consoleLogger, recordDir: env.RECORD_DIR, minFreeGb: env.RECORDINGS_MIN_FREE_GB }, channelId),
    players: getLiveRuntime().rtmpPlayers,
    isStreamLive:
      env.MEDIA_SERVER === 'bundled'
        ? async (app, names) => {
            try {
              const streams = await fetchLiveStreams(env.MEDIA_SERVER_API_URL, { timeoutMs: 1000, token: env.MEDIA_SERVER_API_TOKEN });
              return streams.some((s) => s.app === app && names.includes(s.name));
            } catch (error) {
              consoleLogger.warn('media_server_unreachable', { error: errorMessage(error) });
              return null;
            }
          }
        : undefined,
  };
}
