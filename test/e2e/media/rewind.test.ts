// Rewind while live (issue #15), in Chromium with video.js 8 + VHS: a recorded live stream lists
// its whole broadcast, so the player can seek back past the live window (here 3 one-second
// segments, 2 in memory) into the start of the broadcast, play from there (segments served from
// the recording's files), and come back with the LIVE button to within 2 s of the live edge.
// The run: 3 minutes live, a seek into the first minute, then LIVE.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { ReadBudget } from '../../../media-server/src/hls/read-budget.js';
import { createMemoryLogger } from '../../../media-server/src/logger.js';
import { RecordDoneNotifier } from '../../../media-server/src/recordings/record-done.js';
import { startHarness, type Harness } from '../../../media-server/test/hls/helpers/service-harness.js';
import { FlvStreamParser } from '../../../media-server/test/hls/helpers/flv-file.js';
import { publishTestPattern } from '../../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../../helpers/browser.js';
import { startPlayerPage, type PlayerPageServer } from './player-page.js';

interface Seen {
  currentTime: number;
  frames: number;
  seekableStart: number;
  seekableEnd: number;
  paused: boolean;
  errors: string[];
  liveButtonAtEdge: boolean;
}

function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const video = document.querySelector('video')!;
    const seekable = video.seekable;
    return {
      currentTime: video.currentTime,
      frames: video.getVideoPlaybackQuality().totalVideoFrames,
      seekableStart: seekable.length ? seekable.start(0) : 0,
      seekableEnd: seekable.length ? seekable.end(seekable.length - 1) : 0,
      paused: video.paused,
      errors: (window as unknown as { playerErrors: string[] }).playerErrors,
      liveButtonAtEdge: document.querySelector('.vjs-seek-to-live-control')?.classList.contains('vjs-at-live-edge') ?? false,
    };
  });
}

async function until(page: Page, what: string, check: (s: Seen) => boolean, timeoutMs: number): Promise<Seen> {
  const deadline = Date.now() + timeoutMs;
  let last = await seen(page);
  while (!check(last)) {
    assert.deepEqual(last.errors, [], `player errors while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await sleep(250);
    last = await seen(page);
  }
  return last;
}

/** How long the broadcast runs before the viewer arrives, and where it seeks to (issue #15). */
const liveSeconds = 180;
const seekTo = 30;

describe('rewind while live in Chromium (video.js 8 + VHS)', { timeout: (liveSeconds + 120) * 1000 }, () => {
  let harness: Harness;
  let publisher: ManagedProcess;
  let pageServer: PlayerPageServer;
  let browser: LaunchedBrowser;
  let recordDir: string;

  before(async () => {
    recordDir = await mkdtemp(join(tmpdir(), 'onair-rewind-'));
    harness = await startHarness({
      segmentDurationMs: 1000,
      partDurationMs: 200,
      windowSegments: 3,
      memorySegments: 2,
      endGraceMs: 5000,
      recorder: {
        recordDir,
        minFreeBytes: 0,
        writeBudget: new ReadBudget(64 << 20),
        notifier: new RecordDoneNotifier({ url: undefined, timeoutMs: 1000, logger: createMemoryLogger() }),
      },
    });
    const sink = harness.service.open({ app: 'live', name: 'rewind', publishedAt: new Date(), record: true });
    publisher = publishTestPattern({ url: 'pipe:1', gop: 30, fps: 30 });
    const parser = new FlvStreamParser();
    publisher.child.stdout?.on('data', (chunk: Buffer) => {
      for (const message of parser.push(chunk)) sink.write(message);
    });
    pageServer = await startPlayerPage();
    browser = await launchBrowser({ viewport: { width: 400, height: 300 } });
  });

  after(async () => {
    await browser?.close();
    await pageServer?.close();
    await publisher?.stop();
    await harness?.close();
    if (recordDir) await rm(recordDir, { recursive: true, force: true });
  });

  it('after 3 minutes live, seeks into the first minute, plays from there, and LIVE returns to within 2 s of the edge', async () => {
    // Some broadcast behind us first: far more than the 3 s window.
    await sleep(liveSeconds * 1000);
    const page = browser.page;
    await page.goto(pageServer.url);
    await page.evaluate((url) => (window as unknown as { startVideojs(u: string): void }).startVideojs(url), `${harness.base}/live/rewind/index.m3u8`);
    const live = await until(page, 'live playback', (s) => s.frames >= 10 && s.currentTime > 0, 30_000);
    assert.ok(live.seekableStart < 1, `the whole broadcast is seekable: ${JSON.stringify(live)}`);
    assert.ok(live.seekableEnd > liveSeconds - 5, `the live edge is ~${liveSeconds} s in: ${JSON.stringify(live)}`);

    // Back into the broadcast's first minute: segments that left the window and memory long ago.
    await page.evaluate((to) => {
      document.querySelector('video')!.currentTime = to;
    }, seekTo);
    const rewound = await until(page, `playback from ${seekTo} s`, (s) => s.currentTime >= seekTo && s.currentTime < seekTo + 5 && !s.paused, 15_000);
    const framesAtRewind = rewound.frames;
    await sleep(3000);
    const playing = await seen(page);
    assert.ok(playing.currentTime > rewound.currentTime + 1.5 && playing.currentTime < seekTo + 9, `plays on from the rewound position: ${JSON.stringify({ rewound, playing })}`);
    assert.ok(playing.frames > framesAtRewind, 'frames are decoded there');
    assert.equal(playing.liveButtonAtEdge, false, 'LIVE shows the player is behind');

    // LIVE: back to the edge.
    await page.evaluate(() => (document.querySelector('.vjs-seek-to-live-control') as HTMLElement).click());
    const back = await until(page, 'the live edge', (s) => s.seekableEnd - s.currentTime < 2 && !s.paused, 10_000);
    assert.ok(back.currentTime > liveSeconds, `${JSON.stringify(back)}`);
    await sleep(2000);
    const after = await seen(page);
    assert.ok(after.seekableEnd - after.currentTime < 2, `stays within 2 s of the edge: ${JSON.stringify(after)}`);
    assert.deepEqual(after.errors, []);
  });
});
