// The bundled media server's private kick: `POST ${MEDIA_SERVER_API_URL}/<app>/<name>/kick` with
// `Authorization: Bearer <MEDIA_SERVER_API_TOKEN>`. 200 {"kicked":true}: the publish was ended (and
// its on_publish_done posted); 404 {"error":"not live"}: nothing is published under that name.
import { consoleLogger, type Logger } from '../logger';
import { mediaServerApiHeaders } from './live-streams';
import type { LivePublishRef, StopOutcome } from './stream-stopper';

export interface KickOptions {
  token: string | undefined;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
  logger?: Logger;
}

/** The kick URL for one stream; app and name are path segments, so they are encoded as such. */
export function bundledKickUrl(apiUrl: string, app: string, name: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(app)}/${encodeURIComponent(name)}/kick`;
}

export async function kickBundledStream(apiUrl: string, publish: LivePublishRef, options: KickOptions): Promise<StopOutcome> {
  const { fetchImpl = fetch, logger = consoleLogger } = options;
  const url = bundledKickUrl(apiUrl, publish.app, publish.streamName);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: mediaServerApiHeaders(options.token, { accept: 'application/json' }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    logger.warn('kick_failed', { url, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return 'failed';
  }
  await response.body?.cancel();
  if (response.status === 200) return 'stopped';
  if (response.status === 404) return 'not_live';
  // 401 means the two processes disagree on MEDIA_SERVER_API_TOKEN (never logged itself).
  logger.warn('kick_failed', { url, status: response.status, hint: response.status === 401 ? 'MEDIA_SERVER_API_TOKEN differs between web app and media server' : undefined });
  return 'failed';
}
