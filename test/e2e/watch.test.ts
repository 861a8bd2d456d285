// End to end, as a viewer sees it: the real web app, the real media server, ffmpeg publishing
// over RTMP with the channel's key, and Chromium watching. No reloads anywhere: the channel page
// goes from "offline" to playing to "stream ended" through its event stream alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { startPlatform, type Platform, type Streamer } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';

function videoState(page: Page) {
  return page.evaluate(() => {
    const video = document.querySelector('video');
    if (!video) return null;
    return {
      currentTime: video.currentTime,
      frames: video.getVideoPlaybackQuality().totalVideoFrames,
      paused: video.paused,
      muted: video.muted,
      src: video.currentSrc,
    };
  });
}

const stageOf = (page: Page) => page.locator('[data-stage]').getAttribute('data-stage');
const directoryViewers = (page: Page, slug: string) =>
  page.evaluate((s) => document.querySelector(`[data-testid="live-channels"] [data-channel="${s}"] [data-viewers]`)?.getAttribute('data-viewers') ?? null, slug);

describe('watching a channel (web app + media server + ffmpeg + Chromium)', { timeout: 240_000 }, () => {
  let platform: Platform;
  let alice: Streamer;
  let browser: LaunchedBrowser;
  let publisher: ManagedProcess | undefined;

  before(async () => {
    platform = await startPlatform();
    alice = await platform.createStreamer('alice', { displayName: 'Alice', title: 'Testing the pipeline' });
    browser = await launchBrowser();
  });

  after(async () => {
    await publisher?.stop();
    await browser?.close();
    await platform?.stop();
  });

  it('an unknown channel is a real 404 page', async () => {
    const response = await fetch(`${platform.app.url}/nobody_here`);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /Nothing on this channel/);
    const events = await fetch(`${platform.app.url}/api/channels/nobody_here/events`);
    assert.equal(events.status, 404);
  });

  it('goes live, plays without reload, counts the viewer, and shows the end', { timeout: 200_000 }, async () => {
    const { page } = browser;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/hydrat/i.test(message.text())) pageErrors.push(message.text());
    });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const response = await page.goto(`${platform.app.url}/alice`);
    assert.equal(response?.status(), 200);
    assert.equal(await stageOf(page), 'offline');
    await page.getByText('Alice is offline').waitFor();
    // A marker that a reload would wipe out.
    await page.evaluate(() => Object.assign(window, { __notReloaded: true }));

    const published = Date.now();
    publisher = publishTestPattern({ url: platform.publishUrl(alice.streamKey), size: '320x240', fps: 30, gop: 30 });

    await waitFor('the stage to switch to the player', async () => (await stageOf(page)) === 'live', 20_000, platform);
    await waitFor('the first decoded frames', async () => {
      const state = await videoState(page);
      return state && state.currentTime > 0 && state.frames > 0 ? state : null;
    }, 30_000, platform);
    const firstFrameAfterMs = Date.now() - published;
    // Sustained playback: a 3 s window in which the clock advances and frames keep being decoded
    // (a loaded 2-core machine may stall the decoder for a moment right at the start).
    const samples: Array<{ at: number; currentTime: number; frames: number }> = [];
    const sustained = await waitFor('3 s of continuous playback', async () => {
      const state = await videoState(page);
      if (!state) return null;
      samples.push({ at: Date.now(), currentTime: state.currentTime, frames: state.frames });
      const last = samples.at(-1);
      const start = samples.findLast((s) => last && last.at - s.at >= 3_000);
      if (!last || !start) return null;
      const played = last.currentTime - start.currentTime;
      const decoded = last.frames - start.frames;
      return played > 2 && decoded >= 30 ? { played, decoded, seconds: (last.at - start.at) / 1000 } : null;
    }, 30_000, platform);
    const playingAfterMs = Date.now() - published;
    const later = await videoState(page);
    assert.ok(later, 'video element still there');
    assert.equal(later.muted, true, 'autoplay is muted');
    assert.equal(await page.getByRole('button', { name: 'Click to unmute' }).isVisible(), true);
    assert.equal(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded), true, 'no reload');
    assert.equal(later.src.startsWith('blob:') || later.src === platform.hlsUrl('alice'), true, `player source ${later.src}`);
    assert.ok(!(await page.content()).includes(alice.streamKey), 'the stream key never reaches the page');
    console.log(`# measured: first frame ${firstFrameAfterMs} ms after ffmpeg started publishing; 3 s of continuous playback (${sustained.played.toFixed(2)} s played, ${sustained.decoded} frames decoded in ${sustained.seconds.toFixed(1)} s) complete after ${playingAfterMs} ms`);

    // The directory, in a second tab: alice is live with exactly one viewer (the channel tab).
    const directory = await browser.context.newPage();
    await directory.goto(platform.app.url);
    await waitFor('alice in the directory with 1 viewer', async () => (await directoryViewers(directory, 'alice')) === '1', 15_000, platform);
    assert.match((await directory.locator('[data-channel="alice"]').innerText()).replace(/\s+/g, ' '), /Testing the pipeline.*Alice/);

    // A second watch tab counts, and stops counting when it goes away.
    const second = await browser.context.newPage();
    await second.goto(`${platform.app.url}/alice`);
    await waitFor('2 viewers in the directory', async () => (await directoryViewers(directory, 'alice')) === '2', 15_000, platform);
    await page.getByText('2 viewers').waitFor({ timeout: 10_000 });
    await second.close();
    await waitFor('back to 1 viewer after the tab closed', async () => (await directoryViewers(directory, 'alice')) === '1', 15_000, platform);

    // Thumbnails: ffmpeg grabs a frame of the live HLS in the background; until then (and never
    // blocking) the endpoint serves the generated placeholder.
    const thumbnail = await waitFor('a real JPEG thumbnail', async () => {
      const res = await fetch(`${platform.app.url}/api/thumbnails/alice`);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(res.status, 200);
      return res.headers.get('content-type') === 'image/jpeg' ? body : null;
    }, 30_000, platform);
    assert.deepEqual([...thumbnail.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    await directory.reload();
    const shown = await waitFor('the directory card showing the frame', () =>
      directory.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('[data-channel="alice"] img');
        return img && img.complete && img.naturalWidth === 640 ? img.naturalHeight : null;
      }), 15_000, platform);
    assert.equal(shown, 480, '640x480: the 320x240 test pattern scaled to 640 px wide');

    // Steady state, some seconds in: the clock and the decoder keep going. The bounds are loose on
    // purpose (a loaded 2-core machine stalls Chromium now and then); the figures are printed.
    const before = await videoState(page);
    await new Promise((r) => setTimeout(r, 6_000));
    const after6s = await videoState(page);
    assert.ok(before && after6s);
    const steadyFps = (after6s.frames - before.frames) / 6;
    const played = after6s.currentTime - before.currentTime;
    console.log(`# measured: steady state ${steadyFps.toFixed(1)} fps decoded (source 30 fps), ${played.toFixed(2)} s played in 6 s`);
    assert.ok(steadyFps >= 10, `decoding ${steadyFps} fps`);
    assert.ok(played > 3, `the clock advances (${played} s in 6 s)`);

    // The unmute button works from the keyboard and goes away once sound is on.
    const unmute = page.getByRole('button', { name: 'Click to unmute' });
    await unmute.focus();
    await page.keyboard.press('Enter');
    await waitFor('sound on', async () => (await videoState(page))?.muted === false, 5_000, platform);
    await unmute.waitFor({ state: 'detached', timeout: 5_000 });

    // Publishing stops: the page says so, the directory drops the channel; still no reload.
    const stopped = Date.now();
    await publisher.stop();
    publisher = undefined;
    await waitFor('"stream ended" on the channel page', async () => (await stageOf(page)) === 'ended', 20_000, platform);
    await page.getByText('Stream ended').waitFor();
    const endedAfterMs = Date.now() - stopped;
    await waitFor('alice gone from the live list', async () => (await directoryViewers(directory, 'alice')) === null, 15_000, platform);
    await directory.locator('[data-testid="recent-channels"] [data-channel="alice"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded), true, 'no reload');
    console.log(`# measured: "stream ended" shown ${endedAfterMs} ms after ffmpeg stopped`);

    assert.deepEqual(pageErrors, [], 'no script errors and no hydration mismatches on the channel page');
    // Works offline on a LAN: nothing but the app and the HLS server is ever asked for anything.
    const foreign = requested.filter((url) => !url.startsWith(`${platform.app.url}/`) && !url.startsWith(`${platform.hlsBase}/`) && !/^(data|blob):/.test(url));
    assert.deepEqual(foreign, [], 'no external fonts, CDNs or scripts');
    assert.ok(requested.includes(platform.hlsUrl('alice')), 'the player loaded the configured playlist URL');
    for (const url of requested) assert.ok(!url.includes(alice.streamKey), `a browser request carried the key: ${url}`);

    // The peak audience was stored on the session.
    const session = await platform.db.streamSession.findFirst({ where: { channelId: alice.channelId }, orderBy: { startedAt: 'desc' } });
    assert.ok(session, 'a stream session was recorded');
    assert.equal(session.peakViewers, 2);
    assert.ok(session.endedAt, 'the session is closed');
    await directory.close();
  });
});
