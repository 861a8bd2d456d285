// Sign-up, sign-in, sign-out, channel settings and stream keys in real Chromium against the real
// app (next start). Forms are server actions with useActionState; errors must reach the fields.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createDb, type Db } from '../../lib/db';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { startWebApp, type WebApp } from '../helpers/web-app';

describe('accounts and dashboard in Chromium', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;
  let browser: LaunchedBrowser;
  let page: Page;
  let firstKey = '';

  const onPublish = (name: string, clientid: string) =>
    fetch(app.callbackUrl('on-publish'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ app: 'live', flashver: 'FMLE/3.0', addr: '127.0.0.1', clientid, call: 'publish', name, type: 'live' }).toString(),
    });
  const publishDone = (name: string, clientid: string) =>
    fetch(app.callbackUrl('on-publish-done'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ app: 'live', addr: '127.0.0.1', clientid, call: 'publish_done', name }).toString(),
    });

  async function fieldState(name: string) {
    return page.locator(`#field-${name}`).evaluate((input) => {
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      return {
        invalid: input.getAttribute('aria-invalid'),
        described: ids.map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`).join(' | '),
        label: (input as HTMLInputElement).labels?.[0]?.textContent ?? null,
      };
    });
  }

  /** Navigates and waits until React has hydrated the page's forms (clicks before that would be plain HTML posts). */
  async function open(target: Page, path: string) {
    await target.goto(`${app.url}${path}`);
    await target.waitForFunction(() => {
      const forms = [...document.querySelectorAll('main form')];
      return forms.length > 0 && forms.every((form) => Object.keys(form).some((key) => key.startsWith('__react')));
    });
  }

  /** Clicks a submit button and waits for the server action's response. */
  async function submit(target: Page, button: string) {
    await Promise.all([
      target.waitForResponse((response) => response.request().method() === 'POST' && response.request().headers()['next-action'] !== undefined),
      target.getByRole('button', { name: button }).click(),
    ]);
  }

  before(async () => {
    app = await startWebApp({ env: { SIGNIN_RATE_LIMIT: '5', SIGNUP_RATE_LIMIT: '4' } });
    db = createDb(app.databaseUrl);
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await db?.$disconnect();
    await app?.stop();
  });

  it('sign-up shows field errors with labels, aria-invalid and aria-describedby', async () => {
    await open(page, '/signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#field-username-error').waitFor();
    assert.deepEqual(await fieldState('username'), {
      invalid: 'true',
      described: '3–30 characters: lowercase letters, digits and _. It is also your channel address. | Username must be at least 3 characters.',
      label: 'Username',
    });
    assert.equal((await fieldState('password')).invalid, 'true');

    await page.locator('#field-username').fill('Admin');
    await page.locator('#field-password').fill('long enough password');
    await page.locator('#field-confirmPassword').fill('long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('This username is reserved.').waitFor();
    assert.equal(await page.locator('#field-username').inputValue(), 'Admin', 'the typed username is kept');
    assert.equal((await fieldState('password')).invalid, null);
  });

  it('sign-up creates the user and the channel (slug = username), signs in and opens the dashboard', async () => {
    await page.locator('#field-username').fill('Alice_TV');
    await page.locator('#field-password').fill('correct horse battery');
    await page.locator('#field-confirmPassword').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${app.url}/dashboard`);
    await page.getByRole('button', { name: 'Sign out (alice_tv)' }).waitFor();
    await open(page, '/dashboard');
    const user = await db.user.findUniqueOrThrow({ where: { username: 'alice_tv' }, include: { channel: true } });
    assert.match(user.passwordHash ?? '', /^scrypt\$32768\$8\$1\$/);
    assert.equal(user.channel?.slug, 'alice_tv');
    assert.equal(user.channel?.streamKeyHash, null);
    assert.equal(await page.getByText('Your channel has no stream key yet.').count(), 1);
  });

  it('a taken username (any case) is refused', async () => {
    const other = await launchBrowser();
    try {
      await open(other.page, '/signup');
      await other.page.locator('#field-username').fill('ALICE_tv');
      await other.page.locator('#field-password').fill('another password');
      await other.page.locator('#field-confirmPassword').fill('another password');
      await other.page.getByRole('button', { name: 'Sign up' }).click();
      await other.page.getByText('This username is already taken.').waitFor();
    } finally {
      await other.close();
    }
  });

  it('creating a key shows it once in full, with the setup values; it works for on_publish', async () => {
    await page.getByRole('button', { name: 'Create stream key' }).click();
    const shown = page.getByTestId('new-stream-key');
    await shown.waitFor();
    firstKey = (await shown.textContent()) ?? '';
    assert.match(firstKey, /^live_[A-Za-z0-9_-]{27}$/);
    assert.equal(await page.getByTestId('stream-key-to-paste').textContent(), firstKey, 'bundled server: paste the key itself');
    assert.equal(await page.getByTestId('server-url').textContent(), 'rtmp://127.0.0.1:1935/live');
    assert.ok(await page.getByText('Settings → Stream').count());
    assert.ok(await page.getByText('Custom…').count());

    const channel = await db.channel.findUniqueOrThrow({ where: { slug: 'alice_tv' } });
    assert.equal(channel.streamKeyHash, createHash('sha256').update(firstKey).digest('hex'));
    assert.equal(channel.streamKeyLast4, firstKey.slice(-4));
    assert.ok(!JSON.stringify(channel).includes(firstKey), 'only the hash is stored');

    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('button', { name: 'Copied' }).first().waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), firstKey);

    const allowed = await onPublish(firstKey, '1');
    assert.equal(allowed.status, 302);
    assert.equal(allowed.headers.get('location'), 'alice_tv');
    assert.equal((await publishDone(firstKey, '1')).status, 200);
  });

  it('after a reload the key is masked, never in the page', async () => {
    await open(page, '/dashboard');
    const masked = await page.getByTestId('masked-stream-key').textContent();
    assert.equal(masked, `live_${'•'.repeat(12)}${firstKey.slice(-4)}`);
    assert.ok(!(await page.content()).includes(firstKey));
    assert.equal(await page.getByRole('button', { name: 'Copy key' }).count(), 0);
  });

  it('"Reset key" replaces the key: the old one is refused at once, the new one works', async () => {
    await page.getByRole('button', { name: 'Reset key' }).click();
    await page.getByText('The previous key no longer works.').waitFor();
    const newKey = (await page.getByTestId('new-stream-key').textContent()) ?? '';
    assert.match(newKey, /^live_/);
    assert.notEqual(newKey, firstKey);
    const old = await onPublish(firstKey, '2');
    assert.equal(old.status, 403);
    assert.equal(await old.text(), 'unknown or reset stream key\n');
    assert.equal((await onPublish(newKey, '3')).status, 302);
    assert.equal((await publishDone(newKey, '3')).status, 200);
  });

  it('channel settings: field errors, then saved', async () => {
    await page.locator('#field-title').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Title is required.').waitFor();
    assert.equal((await fieldState('title')).invalid, 'true');
    await page.locator('#field-title').fill('Alice live');
    await page.locator('#field-description').fill('Late-night coding.');
    await page.locator('#field-category').fill('Science & Technology');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Channel saved.').waitFor();
    const channel = await db.channel.findUniqueOrThrow({ where: { slug: 'alice_tv' } });
    assert.deepEqual([channel.title, channel.description, channel.category], ['Alice live', 'Late-night coding.', 'Science & Technology']);
    await page.reload();
    assert.equal(await page.locator('#field-title').inputValue(), 'Alice live');
  });

  it('sign out, then the dashboard asks to sign in', async () => {
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto(`${app.url}/dashboard`);
    await page.waitForURL(/\/login\?callbackUrl=%2Fdashboard$/);
    await open(page, '/login?callbackUrl=%2Fdashboard');
  });

  it('sign-in: wrong password is refused, the right one opens the dashboard', async () => {
    await page.locator('#field-username').fill('alice_tv');
    await page.locator('#field-password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Unknown username or wrong password.').waitFor();
    await page.locator('#field-password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/dashboard`);
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
    assert.equal(session.user.username, 'alice_tv');
  });

  it('sign-in and sign-up are rate limited per IP with a clear 429 message (form and API)', async () => {
    const anonymous = await launchBrowser();
    try {
      await open(anonymous.page, '/login');
      // Two attempts were used above; the limit is 5 per 5 minutes.
      for (let i = 0; i < 3; i += 1) {
        await anonymous.page.locator('#field-username').fill(`nobody${i}`);
        await anonymous.page.locator('#field-password').fill('wrong');
        await submit(anonymous.page, 'Sign in');
        await anonymous.page.getByText('Unknown username or wrong password.').waitFor();
      }
      await anonymous.page.locator('#field-password').fill('wrong');
      await submit(anonymous.page, 'Sign in');
      await anonymous.page.getByText(/Too many sign-in attempts from your address \(429\)\. Try again in \d+ (seconds|minutes)\./).waitFor();

      // next-auth's own credentials endpoint shares the limit and answers a real 429.
      const csrf = (await (await fetch(`${app.url}/api/auth/csrf`)).json()) as { csrfToken: string };
      const api = await fetch(`${app.url}/api/auth/callback/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'alice_tv', password: 'x', csrfToken: csrf.csrfToken }).toString(),
        redirect: 'manual',
      });
      assert.equal(api.status, 429);
      assert.ok(Number(api.headers.get('retry-after')) > 0);

      // Sign-up: 3 of 4 used (empty, reserved, alice_tv) plus the taken-name attempt.
      await open(anonymous.page, '/signup');
      await anonymous.page.locator('#field-username').fill('bob_tv');
      await anonymous.page.locator('#field-password').fill('a fine password');
      await anonymous.page.locator('#field-confirmPassword').fill('a fine password');
      await anonymous.page.getByRole('button', { name: 'Sign up' }).click();
      await anonymous.page.getByText(/Too many sign-up attempts from your address \(429\)/).waitFor();
      assert.equal(await db.user.count({ where: { username: 'bob_tv' } }), 0);
    } finally {
      await anonymous.close();
    }
  });
});
