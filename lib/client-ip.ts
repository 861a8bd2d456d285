/**
 * The client address used as the rate-limit key. Next.js sets X-Forwarded-For from the socket
 * when the request has none; behind a reverse proxy the proxy appends the client it saw, so the
 * rightmost entry is the one added by the closest hop. (A client that talks to Next directly can
 * still write the header itself; sign-in is therefore also limited per username.)
 */
export function clientIp(headers: Pick<Headers, 'get'>): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  if (last) return last.slice(0, 64);
  return headers.get('x-real-ip')?.trim().slice(0, 64) || 'unknown';
}
