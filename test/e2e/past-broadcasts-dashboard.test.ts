// The streamer's side of past broadcasts in real Chromium against the real app (next start):
// the dashboard renames, makes private (then a 404 for a visitor) and deletes (files gone at once)
// a broadcast registered through the real on_record_done route; recording off and own retention
// are saved; the admin's site-wide limits are saved.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createDb, type Db } from '../../lib/db';
import { getSavedRecordingLimits } from '../../lib/recordings/settings';
import { launchBrowser, signUpThroughForm, type LaunchedBrowser } from '../helpers/browser';
import { sendRawHttp } from '../helpers/raw-http';
import { makeRecordingFolder, recordDoneRequest } from '../helpers/recordings';
import { startWebApp, TEST_ADMIN, TEST_ADMIN_PASSWORD, type WebApp } from '../helpers/web-app';

const USERNAME = 'vod_owner';
const PASSWORD = 'correct horse battery staple';

describe('past broadcasts in the dashboard (Chromium)', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;
  let browser: LaunchedBrowser;
  let page: Page;
  let tmp: string;
  let folder: string;

  async function submit(button: ReturnType<Page['getByRole']>) {
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.request().headers()['next-action'] !== undefined),
      button.click(),
    ]);
  }
  async function openHydrated(path: string) {
    await page.goto(`${app.url}${path}`);
    await page.waitForFunction(() => {
      const forms = [...document.querySelectorAll('main form')];
      return forms.length > 0 && forms.every((form) => Object.keys(form).some((key) => key.startsWith('__react')));
    });
  }

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-vod-dash-'));
    app = await startWebApp({ env: { RECORD_DIR: tmp, RECORDINGS_MIN_FREE_GB: '0' } });
    db = createDb(app.databaseUrl);
    browser = await launchBrowser();
    page = browser.page;
    await signUpThroughForm(page, app.url, { username: USERNAME, password: PASSWORD });
    folder = join(tmp, 'live', USERNAME, 'lq2x8k3zdash1');
    await mkdir(folder, { recursive: true });
    await makeRecordingFolder(folder, 6);
    const target = `/api/rtmp/on-record-done?secret=${encodeURIComponent(app.callbackSecret)}`;
    const response = await sendRawHttp(app.port, recordDoneRequest(target, { app: 'live', name: USERNAME, path: join(folder, 'index.m3u8') }), 60_000);
    assert.equal(response.status, 200, response.body);
  });
  after(async () => {
    await browser?.close();
    await db?.$disconnect();
    await app?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('rename and make private: the dashboard saves both; a visitor then gets a 404 and no listing', async () => {
    const row = await db.broadcast.findFirstOrThrow({ where: { channel: { slug: USERNAME } } });
    await openHydrated('/dashboard');
    const edit = page.getByRole('form', { name: `Edit ${row.title}` });
    await edit.getByLabel('Title').fill('My first show');
    await edit.getByLabel('Visibility').selectOption('private');
    await submit(edit.getByRole('button', { name: 'Save' }));
    await page.getByText('Saved.').waitFor();
    const saved = await db.broadcast.findUniqueOrThrow({ where: { id: row.id } });
    assert.deepEqual([saved.title, saved.visibility], ['My first show', 'private']);

    assert.equal((await page.goto(`${app.url}/${USERNAME}/videos/${row.id}`))?.status(), 200, 'the owner still watches it');
    const visitor = await fetch(`${app.url}/${USERNAME}/videos/${row.id}`);
    assert.equal(visitor.status, 404);
    assert.ok(!(await (await fetch(`${app.url}/${USERNAME}`)).text()).includes(row.id));
  });

  it('recording off and own retention are saved', async () => {
    await openHydrated('/dashboard');
    const form = page.getByRole('form', { name: 'Recording settings' });
    await form.getByLabel('Keep my broadcasts as past broadcasts').uncheck();
    await form.getByLabel(/older than/).fill('30');
    await form.getByLabel(/at most/).fill('0.5');
    await submit(form.getByRole('button', { name: 'Save recording settings' }));
    await page.getByText('Recording is off').waitFor();
    const channel = await db.channel.findUniqueOrThrow({ where: { slug: USERNAME } });
    assert.deepEqual([channel.recordBroadcasts, channel.recordingsMaxAgeDays, channel.recordingsMaxGb], [false, 30, 0.5]);
    await form.getByLabel(/older than/).fill('-3');
    await submit(form.getByRole('button', { name: 'Save recording settings' }));
    await page.getByText(/Maximum age must be/).waitFor();
  });

  it('delete: the row and its files are gone at once', async () => {
    const row = await db.broadcast.findFirstOrThrow({ where: { channel: { slug: USERNAME } } });
    await openHydrated('/dashboard');
    const deleteForm = page.getByRole('form', { name: `Delete ${row.title}` });
    await submit(deleteForm.getByRole('button', { name: 'Delete' }));
    // The dashboard re-renders without it.
    await deleteForm.waitFor({ state: 'detached' });
    assert.equal(await db.broadcast.count({ where: { id: row.id } }), 0);
    assert.equal(existsSync(folder), false);
  });

  it('the admin saves site-wide limits', async () => {
    // A browser of its own: the streamer stays signed in in the other one.
    await browser.close();
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${app.url}/login`);
    await page.getByLabel('Username').fill(TEST_ADMIN);
    await page.getByLabel('Password', { exact: true }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/dashboard`);
    await openHydrated('/admin/settings');
    const form = page.getByRole('form', { name: 'Recording limits' });
    await form.getByLabel(/older than/).fill('14');
    await form.getByLabel(/at most/).fill('50');
    await submit(form.getByRole('button', { name: 'Save recording limits' }));
    await page.getByText('Recording limits saved.').waitFor();
    assert.deepEqual(await getSavedRecordingLimits(db), { maxAgeDays: 14, maxGb: 50 });
  });
});
