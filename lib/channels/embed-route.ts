// Which requests are the embeddable player, for proxy.ts (frame headers) and the root layout
// (no site header, no session lookup there).

/** Set by proxy.ts on requests for `/<slug>/embed` only; a client's own copy is always removed first. */
export const EMBED_PAGE_HEADER = 'x-onair-embed';

const EMBED_PATH = /^\/([a-z0-9_]{1,64})\/embed\/?$/;

/** The slug of an embed page path (`/alice/embed`), else null. */
export function embedSlugOf(pathname: string): string | null {
  return EMBED_PATH.exec(pathname)?.[1] ?? null;
}

/** Every other page: no site may frame it (clickjacking of the dashboard, admin and sign-in forms). */
export const NO_FRAMING_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};
