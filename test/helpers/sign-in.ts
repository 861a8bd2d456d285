// Signs a user in to the real app (test/helpers/web-app.ts) the way the sign-in form does: next-auth's
// CSRF token, then its Credentials endpoint. Returns the Cookie header that carries the session.
//
//   const cookie = await signInWithPassword(app.url, 'alice', 'alice password');
//   await fetch(`${app.url}/api/...`, { headers: { cookie } });

/** Adds the response's Set-Cookie name=value pairs to `jar`. */
export function cookiesFrom(response: Response, jar = new Map<string, string>()): Map<string, string> {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return jar;
}

export async function signInWithPassword(baseUrl: string, username: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const jar = cookiesFrom(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: new URLSearchParams({ username, password, csrfToken, callbackUrl: `${baseUrl}/` }).toString(),
  });
  const token = cookiesFrom(response, jar).get('next-auth.session-token');
  if (!token) throw new Error(`sign-in of ${username} failed: HTTP ${response.status} ${response.headers.get('location') ?? ''}`);
  return `next-auth.session-token=${token}`;
}
