// The host the browser used is the host the app shows, and sign-in never sends the browser to
// another site. Real web app (scripts/web-server.mjs, no NEXTAUTH_URL or PUBLIC_URL set), Chromium
// resolving the made-up name onair.test to 127.0.0.1, sign-up through the form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, signUpThroughForm, type LaunchedBrowser } from '../helpers/browser';
import { startWebApp, type WebApp } from '../helpers/web-app';

describe('request origin and redirects in Chromium', { timeout: 300_000 }, () => {
  let app: WebApp;
  let browser: LaunchedBrowser;
  let site: string;
  const rtmpPort = '11935';

  before(async () => {
    app = await startWebApp({ env: { RTMP_PORT: rtmpPort } });
    browser = await launchBrowser({ args: ['--host-resolver-rules=MAP onair.test 127.0.0.1, MAP example.org 127.0.0.1'] });
    site = `http://onair.test:${app.port}`;
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  // Sign-up is a server action whose redirect Next.js renders by fetching /dashboard from its own
  // server over loopback: the page must still see the browser's host.
  it('the dashboard opened at http://onair.test:<port>/ shows rtmp://onair.test:<rtmpPort>/live', async () => {
    const { page } = browser;
    await signUpThroughForm(page, site, { username: 'lan_streamer', password: 'correct horse battery' });
    assert.equal(await page.getByTestId('server-url').textContent(), `rtmp://onair.test:${rtmpPort}/live`);
  });

  it('signed in, /login?callbackUrl=/%09/example.org stays on the site', async () => {
    const { page } = browser;
    await page.goto(`${site}/login?callbackUrl=/%09/example.org`).catch(() => undefined);
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).host, `onair.test:${app.port}`, page.url());
    assert.equal(new URL(page.url()).pathname, '/dashboard');
  });

  it('signed out, signing in from /login?callbackUrl=//example.org lands on the dashboard of this site', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await page.goto(`${site}/login?callbackUrl=${encodeURIComponent('//example.org/')}`);
    await page.waitForFunction(() => [...document.querySelectorAll('main form')].every((form) => Object.keys(form).some((key) => key.startsWith('__react'))));
    await page.getByLabel('Username').fill('lan_streamer');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${site}/dashboard`, { timeout: 30_000 });
  });

  it("next-auth's own sign-in redirect uses the host the browser used", async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await page.goto(`${site}/api/auth/signin`);
    // next-auth sends the browser to our sign-in page with its base URL as callbackUrl.
    assert.equal(new URL(page.url()).host, `onair.test:${app.port}`);
    assert.equal(new URL(page.url()).searchParams.get('callbackUrl'), site);
  });
});
