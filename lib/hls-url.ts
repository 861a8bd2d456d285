// Where a viewer's player fetches a channel's HLS playlist. Pure: no env, no request objects,
// so the one rule that decides the URL is tested in one place (test/lib/hls-url.test.ts).
//
// The player only ever sees the public name (the channel slug), never a stream key: both the
// bundled media server and nginx-rtmp publish HLS under the name on_publish answered with.
import { isSlug } from './live/slug';
import { hostnameOf } from './request-origin';

/** Which media server writes the HLS files; decides the file layout under PUBLIC_HLS_URL. */
export type MediaServerKind = 'bundled' | 'nginx-rtmp';

/** The bundled media server's HTTP port when PUBLIC_HLS_URL is not configured. */
export const DEFAULT_MEDIA_HTTP_PORT = 8935;

/** The RTMP application the streams live under, and so the last path segment of the default base. */
export const DEFAULT_HLS_APP = 'live';


/**
 * The base URL to use when PUBLIC_HLS_URL is not configured: the bundled media server on the host
 * the viewer reached the web app through (`http://<host of the request>:8935/live`), which is what a
 * LAN user expects. `requestHost` is `requestOrigin(headers).host` (lib/request-origin.ts).
 */
export function defaultHlsBase(requestHost: string | null | undefined, server: DefaultHlsServer = {}): string {
  const hostname = hostnameOf(requestHost ?? '') ?? 'localhost';
  return `http://${hostname}:${server.port ?? DEFAULT_MEDIA_HTTP_PORT}/${server.app ?? DEFAULT_HLS_APP}`;
}

/** The bundled media server's HTTP port (MEDIA_HTTP_PORT) and RTMP app (RTMP_APP), when not the defaults. */
export interface DefaultHlsServer {
  port?: number;
  app?: string;
}

/** The base URL: the configured PUBLIC_HLS_URL when set, else `defaultHlsBase(requestHost)`. */
export function resolveHlsBase(configured: string | null | undefined, requestHost: string | null | undefined, server: DefaultHlsServer = {}): string {
  const trimmed = configured?.trim();
  return trimmed ? trimmed.replace(/\/+$/, '') : defaultHlsBase(requestHost, server);
}

/**
 * The playlist URL for one channel.
 * - bundled:    `${base}/${slug}/index.m3u8` (one folder per stream, LL-HLS fMP4)
 * - nginx-rtmp: `${base}/${slug}.m3u8` (nginx-rtmp with `hls_nested off`)
 */
export function buildPlaylistUrl(params: { base: string; slug: string; mediaServer: MediaServerKind }): string {
  const { slug, mediaServer } = params;
  if (!isSlug(slug)) throw new Error(`not a channel slug: ${JSON.stringify(slug.slice(0, 80))}`);
  const base = params.base.replace(/\/+$/, '');
  return mediaServer === 'nginx-rtmp' ? `${base}/${slug}.m3u8` : `${base}/${slug}/index.m3u8`;
}

/** Everything the channel page knows, in one call: configuration plus the request's Host header. */
export function hlsPlaylistUrl(params: {
  publicHlsUrl: string | null | undefined;
  requestHost: string | null | undefined;
  slug: string;
  mediaServer: MediaServerKind;
  /** Port and app of the default base (MEDIA_HTTP_PORT, RTMP_APP); ignored when publicHlsUrl is set. */
  defaultServer?: DefaultHlsServer;
}): string {
  const base = resolveHlsBase(params.publicHlsUrl, params.requestHost, params.defaultServer);
  return buildPlaylistUrl({ base, slug: params.slug, mediaServer: params.mediaServer });
}
