// nginx-rtmp's control module (`rtmp_control all;` on a loopback-only HTTP location, see
// media-server/nginx/nginx.conf): `GET <NGINX_RTMP_CONTROL_URL>/drop/publisher?app=..&clientid=..`
// drops the publisher of that connection, which ends its relay to the HLS app too and makes nginx
// post on_publish_done. nginx answers 200 with the number of dropped sessions as the body.
// The PUBLIC app's publisher is dropped: dropping only the internal HLS app's stream would leave
// OBS connected and nginx's relay reconnecting.
import { consoleLogger, type Logger } from '../logger';
import { readBoundedBody } from '../read-bounded-body';
import type { LivePublishRef, StopOutcome } from './stream-stopper';

export interface DropOptions {
  timeoutMs: number;
  fetchImpl?: typeof fetch;
  logger?: Logger;
}

/**
 * The drop URL for one publisher. By connection id (and address) when on_publish recorded one: the
 * public stream's name may be the secret key, which is never stored. By name otherwise.
 */
export function nginxDropPublisherUrl(controlUrl: string, publish: LivePublishRef): string {
  const query = new URLSearchParams({ app: publish.app });
  if (/^\d{1,20}$/.test(publish.clientId)) {
    query.set('clientid', publish.clientId);
    if (publish.publisherAddr !== '') query.set('addr', publish.publisherAddr);
  } else {
    query.set('name', publish.streamName);
  }
  return `${controlUrl.replace(/\/+$/, '')}/drop/publisher?${query.toString()}`;
}

export async function dropNginxRtmpPublisher(controlUrl: string, publish: LivePublishRef, options: DropOptions): Promise<StopOutcome> {
  const { fetchImpl = fetch, logger = consoleLogger } = options;
  const url = nginxDropPublisherUrl(controlUrl, publish);
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(options.timeoutMs) });
    const body = (await readBoundedBody(response.body, 64))?.trim() ?? '';
    if (response.status === 200 && /^\d+$/.test(body)) return Number(body) > 0 ? 'stopped' : 'not_live';
    logger.warn('nginx_drop_failed', { url, status: response.status, body: body.slice(0, 64) });
  } catch (error) {
    logger.warn('nginx_drop_failed', { url, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
  return 'failed';
}
