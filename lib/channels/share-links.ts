// The addresses a channel is shared by (the channel page's Share control, its Open Graph tags):
// page link, embed player, iframe code and RTMP play URL. shareLinks() is pure: the page passes
// in the configuration (shareEnv()) and the host the browser used.
import { getEnv, type Env } from '../env';
import { nginxRelayUrlFromEnv } from '../rtmp-callbacks/nginx-relay';
import type { RequestOrigin } from '../request-origin';
import { rtmpPlayUrl } from './rtmp-play-url';

export interface ShareLinks {
  /** The site's base URL, no trailing slash: PUBLIC_URL, else the scheme and host of the request. */
  siteUrl: string;
  pageUrl: string;
  embedUrl: string;
  embedCode: string;
  rtmpPlayUrl: string;
  thumbnailUrl: string;
}

export type ShareEnv = Pick<Env, 'PUBLIC_URL' | 'PUBLIC_RTMP_URL' | 'MEDIA_SERVER' | 'RTMP_PORT' | 'RTMP_APP'> & {
  /** NGINX_RTMP_RELAY_URL as configured (validated here). */
  NGINX_RTMP_RELAY_URL?: string | undefined;
};

/** This server's configuration for shareLinks (NGINX_RTMP_RELAY_URL is read where it is used, not in lib/env). */
export function shareEnv(): ShareEnv {
  return { ...getEnv(), NGINX_RTMP_RELAY_URL: process.env.NGINX_RTMP_RELAY_URL };
}

export function siteUrlOf(env: Pick<Env, 'PUBLIC_URL'>, origin: RequestOrigin): string {
  return (env.PUBLIC_URL ?? `${origin.protocol}://${origin.host}`).replace(/\/+$/, '');
}

export function shareLinks(env: ShareEnv, origin: RequestOrigin, channel: { slug: string; streamer: string }): ShareLinks {
  const siteUrl = siteUrlOf(env, origin);
  const pageUrl = `${siteUrl}/${channel.slug}`;
  const embedUrl = `${pageUrl}/embed`;
  return {
    siteUrl,
    pageUrl,
    embedUrl,
    embedCode: embedCode(embedUrl, `${channel.streamer} on OnAir`),
    rtmpPlayUrl: rtmpPlayUrl({
      mediaServer: env.MEDIA_SERVER,
      publicRtmpUrl: env.PUBLIC_RTMP_URL,
      requestHost: origin.host,
      rtmpPort: env.RTMP_PORT,
      rtmpApp: env.RTMP_APP,
      nginxRelayUrl: relayUrlOrUndefined(env.NGINX_RTMP_RELAY_URL),
      slug: channel.slug,
    }),
    thumbnailUrl: `${siteUrl}/api/thumbnails/${channel.slug}`,
  };
}

/** An invalid relay URL is reported by the callbacks that need it; here it only means "no relay". */
function relayUrlOrUndefined(configured: string | undefined): string | undefined {
  try {
    return nginxRelayUrlFromEnv({ NGINX_RTMP_RELAY_URL: configured });
  } catch {
    return undefined;
  }
}

/** The `<iframe>` a site owner pastes: 16:9, autoplay and fullscreen allowed to the player. */
export function embedCode(embedUrl: string, title: string): string {
  return (
    `<iframe src="${escapeAttribute(embedUrl)}" width="640" height="360" title="${escapeAttribute(title)}" ` +
    `style="border:0" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>`
  );
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
