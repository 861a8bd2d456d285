// What the dashboard's "Stream setup" panel tells the streamer to paste into OBS. Pure, so the
// rule for each media server is tested in one place.
import type { Env } from '../env';
import { hostnameOf } from '../request-origin';

export const DEFAULT_RTMP_PORT = 1935;
export const DEFAULT_RTMP_APP = 'live';

/**
 * Server URL for OBS: PUBLIC_RTMP_URL, else `rtmp://<host of the request>:<RTMP_PORT>/<RTMP_APP>`
 * (the port and app the bundled media server was started with; default 1935 and live).
 * `hostHeader` is `requestOrigin(headers).host` (lib/request-origin.ts).
 */
export function rtmpServerUrl(
  configured: string | undefined,
  hostHeader: string | null,
  { port = DEFAULT_RTMP_PORT, app = DEFAULT_RTMP_APP }: { port?: number; app?: string } = {},
): string {
  if (configured) return configured;
  const host = hostnameOf(hostHeader ?? '') ?? 'localhost';
  return `rtmp://${host}:${port}/${app}`;
}

/**
 * The Stream Key field's content. The bundled server renames a key-named publish to the slug
 * (form a), so the key alone is enough. nginx-rtmp's rename does not rename its HLS output, so
 * there the stream must be published under the slug with the key as an argument (form b).
 */
export function streamKeyToPaste(mediaServer: Env['MEDIA_SERVER'], slug: string, key: string): string {
  return mediaServer === 'nginx-rtmp' ? `${slug}?key=${key}` : key;
}
