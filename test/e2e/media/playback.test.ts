// Chromium (Debian's, through playwright-core) plays the live LL-HLS output with video.js 8 +
// VHS and with hls.js: currentTime advances, frames are decoded, no MediaError. The stream
// comes from a real live-paced ffmpeg (libx264 + AAC, FLV) fed into the HLS service.
// Also measured and printed (not asserted tightly; the machine is shared): how far behind the
// wall clock the displayed picture is, using EXT-X-PROGRAM-DATE-TIME of segment 0 as the
// wall-clock time of media time 0.
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness, type Harness } from '../../../media-server/test/hls/helpers/service-harness.js';
import { FlvStreamParser } from '../../../media-server/test/hls/helpers/flv-file.js';
import { publishTestPattern } from '../../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../../helpers/browser.js';
import { startPlayerPage, type PlayerPageServer, type PlayerStatus } from './player-page.js';

/** What this test reads of `window.playerStatus()` beyond the fields measurePlayback's callers read. */
interface Status extends PlayerStatus {
  framesDropped: number;
  liveEdge: number;
  now: number;
}

describe('LL-HLS playback in Chromium', () => {
  let harness: Harness;
  let publisher: ManagedProcess;
  let pageServer: PlayerPageServer;
  let browser: LaunchedBrowser;
  let playlistUrl: string;
  let startup = { fromSpawn: 0, fromFirstByte: 0 };
  let pdt0 = 0;

  before(async () => {
    harness = await startHarness({ segmentDurationMs: 2000, partDurationMs: 200, windowSegments: 7, endGraceMs: 5000 });
    const sink = harness.service.open({ app: 'live', name: 'browser', publishedAt: new Date() });
    publisher = publishTestPattern({ url: 'pipe:1', gop: 30, fps: 30 });
    const parser = new FlvStreamParser();
    const spawnedAt = performance.now();
    let firstByteAt = 0;
    publisher.child.stdout?.on('data', (chunk: Buffer) => {
      firstByteAt ||= performance.now();
      for (const message of parser.push(chunk)) sink.write(message);
    });
    playlistUrl = `${harness.base}/live/browser/index.m3u8`;
    // The playlist request is held until the first part exists, so this is publish -> playable.
    const firstPlaylist = await fetch(`${harness.base}/live/browser/media.m3u8`);
    assert.equal(firstPlaylist.status, 200);
    const firstText = await firstPlaylist.text();
    assert.match(firstText, /#EXT-X-PART:/);
    // Media time 0 is the first frame; its wall clock is the PDT of segment 0.
    pdt0 = Date.parse(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/.exec(firstText)?.[1] ?? '');
    startup = { fromSpawn: performance.now() - spawnedAt, fromFirstByte: performance.now() - firstByteAt };
    pageServer = await startPlayerPage();
    browser = await launchBrowser({ viewport: { width: 400, height: 300 } });
  });

  after(async () => {
    await browser?.close();
    await pageServer?.close();
    await publisher?.stop();
    await harness?.close();
  });

  async function play(t: TestContext, start: 'startVideojs' | 'startHlsjs'): Promise<void> {
    // The first tab: a second tab is a background tab, whose muted video Chromium stops decoding.
    const page = browser.page;
    try {
      await page.goto(pageServer.url);
      await page.evaluate(([fn, url]) => (window as unknown as Record<string, (u: string) => void>)[fn]!(url), [start, playlistUrl] as const);
      const status = () => page.evaluate(() => (window as unknown as { playerStatus(): Status }).playerStatus());
      // Wait for playback (and the decoder) to start, then watch it for a while.
      const deadline = Date.now() + 20_000;
      let first = await status();
      while (first.framesDecoded < 10 && Date.now() < deadline) {
        await sleep(250);
        first = await status();
        assert.deepEqual(first.errors, [], first.warnings.join('\n'));
      }
      assert.ok(first.currentTime > 0, `playback did not start: ${JSON.stringify(first)}`);
      const latencies: number[] = [];
      let last = first;
      for (let i = 0; i < 16; i++) {
        await sleep(500);
        last = await status();
        latencies.push(last.now - (pdt0 + last.currentTime * 1000));
      }
      assert.equal(last.mediaError, null);
      assert.deepEqual(last.errors, [], last.warnings.join('\n'));
      // Generous bounds: the machine is shared with other test files.
      assert.ok(last.currentTime - first.currentTime > 4, `currentTime advanced ${last.currentTime - first.currentTime} s in 8 s`);
      assert.ok(last.framesDecoded > 60, `${last.framesDecoded} frames decoded`);
      latencies.sort((a, b) => a - b);
      const median = latencies[Math.floor(latencies.length / 2)];
      t.diagnostic(
        `${start}: advanced ${(last.currentTime - first.currentTime).toFixed(2)} s in 8 s, ${last.framesDecoded} frames decoded, ${last.framesDropped} dropped, ` +
          `behind live edge ${(last.liveEdge - last.currentTime).toFixed(2)} s, wall-clock latency median ${median?.toFixed(0)} ms (PDT-based, excludes encoder capture)`,
      );
    } finally {
      await page.goto('about:blank');
    }
  }

  it('a playable playlist (first part listed) comes within a second of the first media byte', (t) => {
    t.diagnostic(`first playlist with a part: ${startup.fromFirstByte.toFixed(0)} ms after ffmpeg's first FLV byte, ${startup.fromSpawn.toFixed(0)} ms after spawning ffmpeg`);
    assert.ok(startup.fromFirstByte < 1000, `${startup.fromFirstByte} ms`);
  });

  it('video.js 8 + VHS (LL-HLS) plays the live stream', (t) => play(t, 'startVideojs'));
  it('hls.js (lowLatencyMode) plays the live stream', (t) => play(t, 'startHlsjs'));
});
