// The same-origin check for mutating API requests (chat): a browser sends an Origin header with
// every POST and DELETE from fetch(), and another site's page cannot forge it, so a request whose
// Origin is missing or names another host is refused. Together with the SameSite session cookie
// this keeps other sites from acting with a viewer's session.
import { AppError } from './errors';
import { requestOrigin } from './request-origin';

type HeaderSource = Pick<Headers, 'get'>;

/** Host of an Origin header value (`scheme://host[:port]`), without a default port; null when unusable. */
export function originHost(origin: string | null): string | null {
  if (origin === null || origin === 'null') return null;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.host.toLowerCase();
  } catch {
    return null;
  }
}

function withoutDefaultPort(host: string, protocol: 'http' | 'https'): string {
  return host.replace(protocol === 'https' ? /:443$/ : /:80$/, '');
}

export function isSameOrigin(headers: HeaderSource): boolean {
  const host = originHost(headers.get('origin'));
  if (host === null) return false;
  const request = requestOrigin(headers);
  return host === withoutDefaultPort(request.host, request.protocol);
}

export function requireSameOrigin(headers: HeaderSource): void {
  if (!isSameOrigin(headers)) throw new AppError('forbidden', 'This request must come from this site (Origin header missing or foreign).');
}
