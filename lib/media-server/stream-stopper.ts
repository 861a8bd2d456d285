// Ends one running publish on the media server, whichever kind runs: the bundled server's private
// kick endpoint, or nginx-rtmp's control module. Used by lib/moderation (kick, key reset, disable).
import type { Env } from '../env';
import { kickBundledStream } from './bundled-kick';
import { dropNginxRtmpPublisher } from './nginx-rtmp-control';

/** What the media server needs to find a publish: the StreamSession columns on_publish recorded. */
export interface LivePublishRef {
  app: string;
  /** The public name (bundled: the name the stream plays under). */
  streamName: string;
  /** The media server's connection id (nginx-rtmp `clientid`). */
  clientId: string;
  publisherAddr: string;
}

/** `stopped`: the media server ended it; `not_live`: it has no such publish; `failed`: it could not be asked. */
export type StopOutcome = 'stopped' | 'not_live' | 'failed';

export interface StreamStopper {
  stop(publish: LivePublishRef): Promise<StopOutcome>;
}

/** How long one stop request may take: a kick must end the stream within 2 s. */
export const STOP_TIMEOUT_MS = 1_500;

export function streamStopperFromEnv(
  env: Pick<Env, 'MEDIA_SERVER' | 'MEDIA_SERVER_API_URL' | 'MEDIA_SERVER_API_TOKEN' | 'NGINX_RTMP_CONTROL_URL'>,
): StreamStopper {
  if (env.MEDIA_SERVER === 'nginx-rtmp') {
    return { stop: (publish) => dropNginxRtmpPublisher(env.NGINX_RTMP_CONTROL_URL, publish, { timeoutMs: STOP_TIMEOUT_MS }) };
  }
  return {
    stop: (publish) => kickBundledStream(env.MEDIA_SERVER_API_URL, publish, { token: env.MEDIA_SERVER_API_TOKEN, timeoutMs: STOP_TIMEOUT_MS }),
  };
}
