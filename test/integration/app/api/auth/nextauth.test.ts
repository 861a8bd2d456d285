// next-auth's own endpoints on the real app: the Credentials provider signs in through
// /api/auth/callback/credentials (CSRF-protected), sessions are JWT cookies readable by
// /api/auth/session, and the cookie minted by the sign-in form is the same kind of cookie.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../../lib/channels/create-user-with-channel';
import { createDb, type Db } from '../../../../../lib/db';
import { hashPassword } from '../../../../../lib/passwords';
import { startWebApp, type WebApp } from '../../../../helpers/web-app';

function cookiesFrom(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return jar;
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

describe('next-auth endpoints (Credentials provider, JWT sessions)', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;

  before(async () => {
    app = await startWebApp();
    db = createDb(app.databaseUrl);
    await createUserWithChannel(db, { username: 'carol', passwordHash: await hashPassword('carol password') });
  });
  after(async () => {
    await db?.$disconnect();
    await app?.stop();
  });

  async function signIn(username: string, password: string) {
    const csrfResponse = await fetch(`${app.url}/api/auth/csrf`);
    const jar = cookiesFrom(csrfResponse);
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const response = await fetch(`${app.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
      body: new URLSearchParams({ username, password, csrfToken, callbackUrl: `${app.url}/dashboard` }).toString(),
    });
    for (const [k, v] of cookiesFrom(response)) jar.set(k, v);
    return { response, jar };
  }

  it('lists the providers that are configured (only credentials here)', async () => {
    const providers = (await (await fetch(`${app.url}/api/auth/providers`)).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(providers), ['credentials']);
  });

  it('signs in with the right password (case-insensitive username) and the session names the user', async () => {
    const { response, jar } = await signIn('Carol', 'carol password');
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${app.url}/dashboard`);
    assert.ok(jar.get('next-auth.session-token'), 'a JWT session cookie');
    const session = (await (await fetch(`${app.url}/api/auth/session`, { headers: { cookie: cookieHeader(jar) } })).json()) as {
      user?: { username: string; id: string };
    };
    assert.equal(session.user?.username, 'carol');
    const dashboard = await fetch(`${app.url}/dashboard`, { headers: { cookie: cookieHeader(jar) }, redirect: 'manual' });
    assert.equal(dashboard.status, 200);
    assert.match(await dashboard.text(), /Stream setup/);
  });

  it('refuses a wrong password (no session cookie, CredentialsSignin)', async () => {
    const { response, jar } = await signIn('carol', 'wrong');
    assert.equal(response.status, 302);
    assert.match(response.headers.get('location') ?? '', /error=CredentialsSignin/);
    assert.equal(jar.get('next-auth.session-token'), undefined);
  });

  it('refuses a forged session cookie', async () => {
    const response = await fetch(`${app.url}/dashboard`, { headers: { cookie: 'next-auth.session-token=forged.jwt.value' }, redirect: 'manual' });
    assert.equal(response.status, 307);
    assert.match(response.headers.get('location') ?? '', /^\/login/);
  });
});
