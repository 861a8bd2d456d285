// Where players like VLC, ffplay or an OBS Media Source open a channel over RTMP. Pure, and derived
// from the same base as the Server URL the dashboard tells OBS (lib/channels/stream-setup.ts), so
// PUBLIC_RTMP_URL or the request's host decides both.
import type { Env } from '../env';
import { isSlug } from '../live/slug';
import { rtmpServerUrl } from './stream-setup';

export interface RtmpPlayUrlParams {
  mediaServer: Env['MEDIA_SERVER'];
  /** PUBLIC_RTMP_URL, when set. */
  publicRtmpUrl: string | undefined;
  /** `requestOrigin(headers).host` (lib/request-origin.ts). */
  requestHost: string | null;
  /** The bundled media server's RTMP_PORT and RTMP_APP. */
  rtmpPort: number;
  rtmpApp: string;
  /** nginx-rtmp mode: NGINX_RTMP_RELAY_URL, validated (lib/rtmp-callbacks/nginx-relay.ts), when set. */
  nginxRelayUrl: string | undefined;
  slug: string;
}

/** `<base>/<slug>`, where the base is the one rule per media server below. */
export function rtmpPlayUrl(params: RtmpPlayUrlParams): string {
  if (!isSlug(params.slug)) throw new Error(`not a channel slug: ${JSON.stringify(params.slug.slice(0, 80))}`);
  const serverUrl = rtmpServerUrl(params.publicRtmpUrl, params.requestHost, { port: params.rtmpPort, app: params.rtmpApp });
  const base = params.mediaServer === 'nginx-rtmp' ? nginxRtmpPlayBase(serverUrl, params.nginxRelayUrl) : serverUrl;
  return `${base.replace(/\/+$/, '')}/${params.slug}`;
}

/**
 * nginx-rtmp mode: streams are named by slug only in the internal app the relay pushes to
 * (NGINX_RTMP_RELAY_URL's app), so players go there, on the public host and port the streamers
 * publish to. Without a relay, streams are published as `<slug>?key=...` in the public app itself.
 */
export function nginxRtmpPlayBase(serverUrl: string, nginxRelayUrl: string | undefined): string {
  if (nginxRelayUrl === undefined || !URL.canParse(serverUrl)) return serverUrl;
  const app = new URL(nginxRelayUrl).pathname.replace(/^\/+|\/+$/g, '');
  const server = new URL(serverUrl);
  return `${server.protocol}//${server.host}/${app}`;
}
