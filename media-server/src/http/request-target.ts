// The path and query of a request, split once per request and handed to every route (both the
// API routes and the HLS output used to build a WHATWG URL of their own for each request).
//
// RFC 9112 3.2: a request-target is origin-form (`/path?query`) except that "a server MUST
// accept the absolute-form in requests", which only then goes through the full URL parser.

export interface RequestTarget {
  /** The path, still percent-encoded (routes decode what they match). */
  readonly path: string;
  /** Everything after the first '?', without it; '' when there is none. */
  readonly query: string;
}

export function splitRequestTarget(url: string | undefined): RequestTarget {
  if (url === undefined || url === '') return { path: '/', query: '' };
  if (!url.startsWith('/')) {
    try {
      const parsed = new URL(url);
      return { path: parsed.pathname, query: parsed.search.slice(1) };
    } catch {
      return { path: url, query: '' };
    }
  }
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, query: '' } : { path: url.slice(0, mark), query: url.slice(mark + 1) };
}
