// nginx-rtmp mode: how an accepted publish reaches HLS without the stream key in any file name.
//
// nginx-rtmp's 302 rename (`Location: <name>`) renames the live stream but NOT its HLS output:
// the HLS files keep the name as published, which in form (a) is the secret key. So in
// MEDIA_SERVER=nginx-rtmp mode every accepted publish is answered with a 3xx whose Location is
// an rtmp:// URL. nginx-rtmp then relay-pushes the stream to that URL: an internal application
// (`onair_hls` in media-server/nginx/nginx.conf) that only 127.0.0.1 may publish to and that is
// the only one writing HLS, under `<slug>`. The public app has `hls off`, so neither form ever
// writes the key to disk. Facts measured with nginx 1.22.1 + nginx-rtmp 1.2.2 are in
// media-server/nginx/README.md.
import { isIPv4 } from 'node:net';
import type { PublishDecision } from './authorize-publish';
import type { CallbackAnswer } from './respond';

/** Default RTMP port nginx-rtmp assumes when the Location has none. */
const RTMP_DEFAULT_PORT = 1935;

/** Same rule as lib/hls-url.ts: channel slugs are `[a-z0-9_]`, and nothing else is ever relayed. */
const SLUG = /^[a-z0-9_]{1,64}$/;

/** An RTMP application name nginx-rtmp accepts in a relay URL, kept to plain characters. */
const APP_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest relay URL accepted: `rtmp://` + IPv4 + port + app fits in far less. */
const MAX_RELAY_URL_LENGTH = 128;

/**
 * Validates NGINX_RTMP_RELAY_URL and returns it normalised as `rtmp://<ipv4>:<port>/<app>`.
 * The host must be an IPv4 literal: nginx-rtmp parses a notify push target with `no_resolve`,
 * and a host name fails at publish time with only "relay: no address" in nginx's error log.
 */
export function parseNginxRelayUrl(raw: string): string {
  const value = raw.trim();
  const fail = (why: string): never => {
    throw new Error(`NGINX_RTMP_RELAY_URL ${JSON.stringify(value.slice(0, MAX_RELAY_URL_LENGTH))}: ${why}`);
  };
  if (value.length > MAX_RELAY_URL_LENGTH) fail(`longer than ${MAX_RELAY_URL_LENGTH} characters`);
  if (!URL.canParse(value)) fail('not a URL (expected rtmp://127.0.0.1:1935/onair_hls)');
  const url = new URL(value);
  if (url.protocol !== 'rtmp:') fail('must start with rtmp://');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    fail('must not carry credentials, a query or a fragment');
  }
  if (!isIPv4(url.hostname)) fail('host must be an IPv4 address (nginx-rtmp does not resolve names for relays)');
  const app = url.pathname.replace(/^\/+|\/+$/g, '');
  if (!APP_NAME.test(app)) fail('path must be exactly one RTMP application name, e.g. /onair_hls');
  const port = url.port === '' ? RTMP_DEFAULT_PORT : Number(url.port);
  return `rtmp://${url.hostname}:${port}/${app}`;
}

/**
 * The relay URL from an environment: NGINX_RTMP_RELAY_URL validated, or undefined when unset.
 * Opt-in on purpose: without it the generic answers apply (form b: 200, form a: 302 rename), which
 * suit an nginx whose publishing app itself has `hls on`. media-server/nginx/nginx.conf needs it set.
 */
export function nginxRelayUrlFromEnv(source: Record<string, string | undefined>): string | undefined {
  const configured = source.NGINX_RTMP_RELAY_URL?.trim();
  return configured ? parseNginxRelayUrl(configured) : undefined;
}

/** `Location` for one channel: the internal app, stream name = slug. */
export function nginxRelayLocation(relayUrl: string, slug: string): string {
  if (!SLUG.test(slug)) throw new Error(`not a channel slug: ${JSON.stringify(slug.slice(0, 80))}`);
  return `${relayUrl}/${slug}`;
}

/**
 * The on_publish answer in nginx-rtmp mode: an accepted publish (either form) becomes a 302 relay
 * to the internal HLS app; a refusal is left to the generic answer (null). nginx-rtmp treats any
 * 3xx with an `rtmp://` Location as "accept, and push to there"; the outer publish keeps its
 * name, so on_publish_done later arrives with the name as published (the key in form (a)).
 */
export function nginxRelayAnswer(decision: PublishDecision, relayUrl: string): CallbackAnswer | null {
  if (!decision.allow) return null;
  const location = nginxRelayLocation(relayUrl, decision.name);
  return {
    status: 302,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Location: location },
    body: `relay to ${location}\n`,
  };
}
