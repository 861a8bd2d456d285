// The streamer's side of watching: the dashboard's live panel follows the stream by itself —
// offline, then live with uptime, viewers and what the media server receives, then offline.
// Real web app, real media server, ffmpeg over RTMP, Chromium, sign-up through the form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, signUpThroughForm, type LaunchedBrowser } from '../helpers/browser';
import { startPlatform, type Platform } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';

describe('dashboard live panel', { timeout: 240_000 }, () => {
  let platform: Platform;
  let browser: LaunchedBrowser;
  let publisher: ManagedProcess | undefined;

  before(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });

  after(async () => {
    await publisher?.stop();
    await browser?.close();
    await platform?.stop();
  });

  it('shows offline, then live with the ingest figures and the viewer count, then offline again', { timeout: 200_000 }, async () => {
    const { page } = browser;
    await signUpThroughForm(page, platform.app.url, { username: 'streamer', password: 'correct horse battery' });
    await page.getByRole('button', { name: 'Create stream key' }).click();
    const key = (await page.getByTestId('new-stream-key').textContent({ timeout: 30_000 })) ?? '';
    const panel = page.getByTestId('live-panel');
    await panel.getByText('You are offline').waitFor({ timeout: 15_000 });

    publisher = publishTestPattern({ url: platform.publishUrl(key), size: '320x240', fps: 30 });
    // The panel polls by itself: no reload from here on.
    const ingest = panel.getByTestId('live-panel-ingest');
    await ingest.waitFor({ timeout: 30_000 });
    await panel.getByText('Live', { exact: true }).waitFor();
    await panel.getByText('Uptime').waitFor();
    const text = async () => (await ingest.innerText()).replace(/\s+/g, ' ');
    await waitFor('the panel to show a frame rate', async () => /Frame rate \d/.test(await text()), 15_000, platform);
    const shown = await text();
    assert.match(shown, /Video H\.264 · 320×240/);
    assert.match(shown, /Audio AAC/);
    assert.match(shown, /Frame rate (2\d|3\d)(\.\d)? fps \(OBS set to 30\)/);
    assert.match(shown, /Bitrate \d[\d,]* kbps/);
    assert.match(shown, /Encoder Lavf/);

    // A viewer opens the channel page: the panel counts them.
    const viewer = await browser.context.newPage();
    await viewer.goto(`${platform.app.url}/streamer`);
    await waitFor('1 viewer on the panel', async () => (await panel.getByTestId('live-panel-viewers').textContent()) === '1', 15_000, platform);
    await viewer.close();
    await waitFor('0 viewers on the panel', async () => (await panel.getByTestId('live-panel-viewers').textContent()) === '0', 15_000, platform);

    await publisher.stop();
    publisher = undefined;
    await panel.getByText('You are offline').waitFor({ timeout: 20_000 });
    await panel.getByText('Nothing is arriving.').waitFor({ timeout: 10_000 });
  });

  it('the panel API is for the owner only', async () => {
    const anonymous = await fetch(`${platform.app.url}/api/channels/streamer/stream`);
    assert.equal(anonymous.status, 401);
    // Signed in as someone else: forbidden.
    const page = await browser.context.newPage();
    const cookies = await browser.context.cookies();
    const own = await page.request.get(`${platform.app.url}/api/channels/streamer/stream`);
    assert.equal(own.status(), 200);
    const other = await page.request.get(`${platform.app.url}/api/channels/someone_else/stream`);
    assert.equal(other.status(), 403);
    assert.ok(cookies.length > 0);
    await page.close();
  });
});
