// Where the app may send a browser after sign-in: a path on this site, nothing else. Browsers
// forgive a lot in a Location header (they drop tabs and newlines, read `\` as `/`, and treat
// `//host` as another site), so anything that could turn into another origin is refused outright
// rather than cleaned up.

export const DEFAULT_AFTER_SIGN_IN = '/dashboard';

const MAX_LENGTH = 512;
const PROBE_ORIGIN = 'http://onair.invalid';

/** `value` when it is a same-origin path (`/x?y#z`), else `fallback`. */
export function safeRedirectPath(value: unknown, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return fallback;
  // Also check what the path would become after one or two rounds of percent-decoding, in case
  // some layer (a proxy, a framework) decodes before a browser sees it.
  let current = value;
  for (let round = 0; round < 3; round++) {
    if (!isPlainPath(current)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return fallback;
    }
    if (decoded === current) return value;
    current = decoded;
  }
  return fallback;
}

function isPlainPath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//')) return false;
  // Control characters (tab, CR, LF, NUL...) and backslashes have no business in a path we
  // redirect to; browsers strip or reinterpret them.
  if (/[\u0000-\u001f\u007f-\u009f\\\u2028\u2029\ufeff]/.test(path)) return false;
  try {
    const url = new URL(path, PROBE_ORIGIN);
    return url.origin === PROBE_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * next-auth's `redirect` callback rule: a safe path on this site becomes `baseUrl + path`, an
 * absolute URL on the same origin as `baseUrl` is kept (as its path), anything else goes home.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (url.startsWith('/')) return `${base}${safeRedirectPath(url, '/')}`;
  try {
    const target = new URL(url);
    if (target.origin === new URL(base).origin) {
      const path = safeRedirectPath(`${target.pathname}${target.search}${target.hash}`, '/');
      return `${base}${path}`;
    }
  } catch {
    // not a URL: fall through to the base
  }
  return base;
}
