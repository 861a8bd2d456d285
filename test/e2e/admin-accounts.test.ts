// Registration, /admin and accounts in real Chromium against the real app (next start), with the
// default registration mode (invite) and no admin at start: the setup link printed at start-up
// makes the admin, an admin's invite signs up a second user once, changing the password / signing
// out everywhere / disabling end other browsers' sessions, and an account deletes itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createDb, type Db } from '../../lib/db';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { waitFor } from '../helpers/wait-for';
import { startWebApp, type WebApp } from '../helpers/web-app';

const ADMIN = { username: 'operator', password: 'operator password 1' };
const GUEST = { username: 'guest', password: 'guest password 1' };
const GUEST_NEW_PASSWORD = 'guest password 2';

describe('setup link, admin, invites and accounts in Chromium', { timeout: 900_000 }, () => {
  let app: WebApp;
  let db: Db;
  const browsers: LaunchedBrowser[] = [];
  let adminPage: Page;
  let guestPage: Page;
  let otherPage: Page;
  let setupLink = '';
  let inviteLink = '';

  /** Navigates and waits until React has hydrated the page's forms. */
  async function open(page: Page, url: string) {
    await page.goto(url.startsWith('http') ? url : `${app.url}${url}`);
    await page.waitForFunction(() => [...document.querySelectorAll('main form')].every((form) => Object.keys(form).some((key) => key.startsWith('__react'))));
  }

  async function fillSignUp(page: Page, credentials: { username: string; password: string }) {
    await page.getByLabel('Username').fill(credentials.username);
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    await page.getByLabel('Repeat password').fill(credentials.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
  }

  async function signIn(page: Page, credentials: { username: string; password: string }) {
    await open(page, '/login');
    await page.getByLabel('Username').fill(credentials.username);
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Where a fresh load of /dashboard ends up: the dashboard (signed in) or the sign-in page. */
  async function dashboardState(page: Page): Promise<'signed in' | 'signed out'> {
    await page.goto(`${app.url}/dashboard`);
    return new URL(page.url()).pathname === '/dashboard' ? 'signed in' : 'signed out';
  }

  before(async () => {
    // No admin and REGISTRATION unset: the site's real first start.
    app = await startWebApp({ firstAdmin: false, env: { REGISTRATION: '' } });
    db = createDb(app.databaseUrl);
    for (let i = 0; i < 3; i += 1) browsers.push(await launchBrowser());
    [adminPage, guestPage, otherPage] = browsers.map((browser) => browser.page) as [Page, Page, Page];
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await db?.$disconnect();
    await app?.stop();
  });

  it('prints the setup link once, on a line of its own', async () => {
    const pattern = new RegExp(`^http://localhost:${app.port}/signup\\?setup=([A-Za-z0-9_-]{43})$`, 'm');
    const line = await waitFor('the setup link', async () => pattern.exec(app.output()), 30_000, app);
    setupLink = line[0];
    const token = line[1] ?? '';
    assert.equal(app.output().split(token).length - 1, 1, 'the token appears in no other log line');
  });

  it('refuses a plain sign-up before the admin exists', async () => {
    await guestPage.goto(`${app.url}/signup`);
    await guestPage.getByText('This site is not set up yet').waitFor();
    assert.equal(await guestPage.getByRole('button', { name: 'Sign up' }).count(), 0);
    assert.equal(await db.user.count(), 0);
  });

  it('the setup link creates the admin, and only once', async () => {
    await open(adminPage, setupLink.replace(`http://localhost:${app.port}`, app.url));
    await adminPage.getByRole('heading', { name: 'Create the admin account' }).waitFor();
    await fillSignUp(adminPage, ADMIN);
    await adminPage.waitForURL(`${app.url}/dashboard`, { timeout: 30_000 });
    const admin = await db.user.findUniqueOrThrow({ where: { username: ADMIN.username } });
    assert.equal(admin.isAdmin, true);
    await adminPage.getByRole('link', { name: 'Admin' }).waitFor();

    await guestPage.goto(setupLink.replace(`http://localhost:${app.port}`, app.url));
    await guestPage.getByText('This setup link is not valid').waitFor();
  });

  it('in invite mode a plain sign-up is refused; an invite made in /admin signs up one user, once', async () => {
    await guestPage.goto(`${app.url}/signup`);
    await guestPage.getByText('Sign-up needs an invite link').waitFor();

    await open(adminPage, '/admin/invites');
    await adminPage.getByLabel('Expires after').selectOption('1');
    await adminPage.getByRole('button', { name: 'Create invite' }).click();
    inviteLink = await waitFor(
      'the invite link',
      async () => {
        const value = await adminPage.getByLabel('Invite link').inputValue().catch(() => '');
        return value.includes('/signup?invite=') ? value : null;
      },
      30_000,
      app,
    );
    assert.ok(inviteLink.startsWith(`${app.url}/signup?invite=`), inviteLink);

    await open(guestPage, inviteLink);
    await fillSignUp(guestPage, GUEST);
    await guestPage.waitForURL(`${app.url}/dashboard`, { timeout: 30_000 });
    const invite = await db.invite.findFirstOrThrow();
    assert.equal(invite.usedBy, GUEST.username);

    await otherPage.goto(inviteLink);
    await otherPage.getByText('This invite link is not valid').waitFor();
    assert.equal(await otherPage.getByRole('button', { name: 'Sign up' }).count(), 0);

    await open(adminPage, '/admin/invites');
    await adminPage.getByRole('cell', { name: `used by ${GUEST.username}` }).waitFor();
  });

  it('/admin is not there for a non-admin', async () => {
    const response = await guestPage.goto(`${app.url}/admin/users`);
    assert.equal(response?.status(), 404);
  });

  it('changing the password ends the other browser’s session and keeps this one', async () => {
    await signIn(otherPage, GUEST);
    await otherPage.waitForURL(`${app.url}/dashboard`);
    await open(guestPage, '/dashboard/account');
    await guestPage.getByLabel('Current password').fill(GUEST.password);
    await guestPage.getByLabel('New password', { exact: true }).fill(GUEST_NEW_PASSWORD);
    await guestPage.getByLabel('Repeat new password').fill(GUEST_NEW_PASSWORD);
    await guestPage.getByRole('button', { name: 'Change password' }).click();
    await guestPage.getByText('Password changed.').waitFor();
    assert.equal(await dashboardState(otherPage), 'signed out');
    assert.equal(await dashboardState(guestPage), 'signed in');
  });

  it('sign out everywhere ends every session, this one included', async () => {
    await signIn(otherPage, { ...GUEST, password: GUEST_NEW_PASSWORD });
    await otherPage.waitForURL(`${app.url}/dashboard`);
    await open(guestPage, '/dashboard/account');
    await guestPage.getByRole('button', { name: 'Sign out everywhere' }).click();
    await guestPage.waitForURL(/\/login/);
    assert.equal(await dashboardState(guestPage), 'signed out');
    assert.equal(await dashboardState(otherPage), 'signed out');
  });

  it('an admin disables a user: their session ends and they cannot sign in; enabled again, they can', async () => {
    await signIn(guestPage, { ...GUEST, password: GUEST_NEW_PASSWORD });
    await guestPage.waitForURL(`${app.url}/dashboard`);
    await open(adminPage, `/admin/users?q=${GUEST.username}`);
    await adminPage.getByRole('button', { name: `Disable ${GUEST.username}` }).click();
    await adminPage.getByText('User disabled').waitFor();
    assert.equal(await dashboardState(guestPage), 'signed out');
    await signIn(guestPage, { ...GUEST, password: GUEST_NEW_PASSWORD });
    await guestPage.getByText('Unknown username or wrong password.').waitFor();

    await open(adminPage, `/admin/users?q=${GUEST.username}`);
    await adminPage.getByRole('button', { name: `Enable ${GUEST.username}` }).click();
    await adminPage.getByText('User enabled').waitFor();
    await signIn(guestPage, { ...GUEST, password: GUEST_NEW_PASSWORD });
    await guestPage.waitForURL(`${app.url}/dashboard`);
  });

  it('a user deletes their account (confirmed with the password)', async () => {
    await open(guestPage, '/dashboard/account');
    await guestPage.getByLabel('Your password, to confirm').fill('not the password');
    await guestPage.getByRole('button', { name: 'Delete my account' }).click();
    await guestPage.getByText('The password is wrong.').waitFor();
    await guestPage.getByLabel('Your password, to confirm').fill(GUEST_NEW_PASSWORD);
    await guestPage.getByRole('button', { name: 'Delete my account' }).click();
    await guestPage.waitForURL(`${app.url}/`);
    assert.equal(await db.user.count({ where: { username: GUEST.username } }), 0);
    assert.equal(await db.channel.count({ where: { slug: GUEST.username } }), 0);
    assert.equal(await dashboardState(guestPage), 'signed out');
  });

  it('the only admin cannot delete themself', async () => {
    await open(adminPage, '/dashboard/account');
    await adminPage.getByLabel('Your password, to confirm').fill(ADMIN.password);
    await adminPage.getByRole('button', { name: 'Delete my account' }).click();
    await adminPage.getByText('You are the last admin').waitFor();
    assert.equal(await db.user.count({ where: { username: ADMIN.username } }), 1);
  });

  it('the admin closes registration on /admin/settings: sign-up is refused, invite or not', async () => {
    await open(adminPage, '/admin/settings');
    await adminPage.getByLabel('Closed: nobody can sign up.').check();
    await adminPage.getByRole('button', { name: 'Save registration' }).click();
    await adminPage.getByText('Registration is now closed.').waitFor();
    await otherPage.goto(`${app.url}/signup`);
    await otherPage.getByText('Sign-up is closed on this site.').waitFor();
    assert.equal(await otherPage.getByRole('button', { name: 'Sign up' }).count(), 0);
  });

  it('revoked sessions are quietly signed out: no error in the server log', () => {
    assert.doesNotMatch(app.output(), /JWT_SESSION_ERROR|SessionEndedError|Error:/);
  });
});
