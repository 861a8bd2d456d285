// The whole story, as a new user lives it: sign up in the browser, open the dashboard, take the
// Server URL and the Stream Key exactly as the Stream setup panel hands them out (through its copy
// buttons), publish with ffmpeg to <server>/<key> like OBS does, watch the channel page play in
// Chromium, stop publishing and see the page say the stream ended.
// Real web app (production build), real media server, real ffmpeg, real Chromium; nothing is read
// from the database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, signUpThroughForm, type LaunchedBrowser } from '../helpers/browser';
import { startPlatform, type Platform } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';

const USERNAME = 'newcomer';
const PASSWORD = 'a long enough passphrase';

function videoState(page: Page) {
  return page.evaluate(() => {
    const video = document.querySelector('video');
    if (!video) return null;
    return {
      currentTime: video.currentTime,
      frames: video.getVideoPlaybackQuality().totalVideoFrames,
      error: video.error ? { code: video.error.code, message: video.error.message } : null,
    };
  });
}

/**
 * Clicks the copy button next to the value with `testId` (identified by its label first) and
 * returns what it put on the clipboard: what the user pastes into OBS.
 */
async function copyWith(page: Page, testId: string, buttonName: string): Promise<string> {
  // Start from a known clipboard so a button that copies nothing cannot pass with an old value.
  await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
  const button = page.locator('.secret-row', { has: page.getByTestId(testId) }).getByRole('button');
  assert.equal(await button.innerText(), buttonName);
  await button.click();
  // The button's own confirmation: copying worked (it says "Copy failed" otherwise).
  await button.getByText('Copied', { exact: true }).waitFor({ timeout: 5_000 });
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('the full story: sign up, set up OBS from the dashboard, go live, be watched, end', { timeout: 300_000 }, () => {
  let platform: Platform;
  let browser: LaunchedBrowser;
  let publisher: ManagedProcess | undefined;

  before(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.app.url });
  });

  after(async () => {
    await publisher?.stop();
    await browser?.close();
    await platform?.stop();
  });

  it('works end to end with only what the pages show', { timeout: 240_000 }, async () => {
    const { page } = browser;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const t0 = Date.now();

    // 1. Sign up through the real form; it lands on the dashboard.
    await signUpThroughForm(page, platform.app.url, { username: USERNAME, password: PASSWORD });

    // 2. Stream setup: the Server URL is there from the start; the key is created on request and
    //    shown in full exactly once.
    const setup = page.getByRole('region', { name: 'Stream setup' });
    await setup.getByText('Create a stream key first.').waitFor();
    const shownServer = (await setup.getByTestId('server-url').textContent())?.trim() ?? '';
    const server = await copyWith(page, 'server-url', 'Copy server');
    assert.equal(server, shownServer, 'the copy button copies what the panel shows');
    assert.equal(server, platform.rtmpUrl, 'the Server URL is where the media server listens');

    await page.getByRole('button', { name: 'Create stream key' }).click();
    const newKey = ((await page.getByTestId('new-stream-key').textContent({ timeout: 30_000 })) ?? '').trim();
    const shownKey = ((await setup.getByTestId('stream-key-to-paste').textContent()) ?? '').trim();
    const key = await copyWith(page, 'stream-key-to-paste', 'Copy stream key');
    assert.equal(key, shownKey, 'the copy button copies what the panel shows');
    assert.equal(key, newKey, 'bundled media server: the Stream Key field is the key itself');
    assert.match(key, /^\S{20,}$/);

    // Shown once: after a reload only the masked form is left, and nothing can be copied.
    const dashboard = await browser.context.newPage();
    await dashboard.goto(`${platform.app.url}/dashboard`);
    const masked = (await dashboard.getByTestId('masked-stream-key').textContent()) ?? '';
    assert.ok(masked.endsWith(key.slice(-4)) && !masked.includes(key), `masked key ${masked}`);
    assert.equal(await dashboard.getByRole('button', { name: 'Copy stream key' }).count(), 0);
    assert.ok(!(await dashboard.content()).includes(key), 'the full key is never rendered again');
    await dashboard.close();

    // 3. The viewer's tab is open before the stream starts: the channel is offline.
    const viewer = await browser.context.newPage();
    viewer.on('pageerror', (error) => pageErrors.push(error.message));
    const channel = await viewer.goto(`${platform.app.url}/${USERNAME}`);
    assert.equal(channel?.status(), 200);
    await viewer.locator('[data-stage="offline"]').waitFor({ timeout: 10_000 });

    // 4. OBS ("Custom" service) publishes to <Server>/<Stream Key>; ffmpeg does the same.
    const published = Date.now();
    publisher = publishTestPattern({ url: `${server}/${key}`, size: '320x240', fps: 30, gop: 30 });

    // 5. The page switches to the player by itself and plays: the clock advances, frames are
    //    decoded, no MediaError.
    await viewer.locator('[data-stage="live"]').waitFor({ timeout: 30_000 });
    const first = await waitFor('the first decoded frames', async () => {
      const state = await videoState(viewer);
      assert.equal(state?.error ?? null, null, `MediaError ${JSON.stringify(state?.error)}`);
      return state && state.currentTime > 0 && state.frames > 0 ? state : null;
    }, 45_000, platform);
    const firstFrameMs = Date.now() - published;
    // Sustained playback: a 3 s window in which the clock advances by 2 s or more and at least 30
    // frames are decoded (not just a seek to the live edge). A loaded 2-core machine may stall the
    // decoder for a moment right at the start, hence a sliding window rather than a fixed one.
    const samples: Array<{ at: number; currentTime: number; frames: number }> = [];
    const window = await waitFor('3 s of continuous playback', async () => {
      const state = await videoState(viewer);
      assert.equal(state?.error ?? null, null, `MediaError ${JSON.stringify(state?.error)}`);
      if (!state) return null;
      samples.push({ at: Date.now(), currentTime: state.currentTime, frames: state.frames });
      const last = samples.at(-1);
      const start = samples.findLast((sample) => last !== undefined && last.at - sample.at >= 3_000);
      if (!last || !start) return null;
      const played = last.currentTime - start.currentTime;
      const decoded = last.frames - start.frames;
      return played >= 2 && decoded >= 30 ? { played, decoded, seconds: (last.at - start.at) / 1000 } : null;
    }, 45_000, platform);
    console.log(`# measured: sign-up to publishing with the dashboard values ${published - t0} ms; first frame ${firstFrameMs} ms after ffmpeg started ` +
      `(currentTime ${first.currentTime.toFixed(2)}, ${first.frames} frames); then ${window.played.toFixed(2)} s played and ${window.decoded} frames decoded in ${window.seconds.toFixed(1)} s`);
    assert.ok(!(await viewer.content()).includes(key), 'the stream key never reaches the viewer page');

    // 6. The streamer stops: the viewer's page says the stream ended, without a reload.
    const stopped = Date.now();
    await publisher.stop();
    publisher = undefined;
    await viewer.locator('[data-stage="ended"]').waitFor({ timeout: 30_000 });
    await viewer.getByText('Stream ended').waitFor();
    console.log(`# measured: "Stream ended" shown ${Date.now() - stopped} ms after ffmpeg stopped`);

    assert.deepEqual(pageErrors, [], 'no script errors on the dashboard or the channel page');
  });
});
