// "HEVC/AV1 from Enhanced RTMP pass through (playable where the browser decodes them)": this
// Chromium decodes AV1 (not HEVC), so an AV1 stream (SVT-AV1, from a fragmented MP4, since
// ffmpeg 5.1 cannot publish Enhanced RTMP) is fed to the HLS service in real time, as ingest
// would, and played with hls.js and video.js.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeFragmentedMp4, readFragmentedMp4 } from '../../../media-server/test/hls/helpers/fmp4-file.js';
import { startHarness, type Harness } from '../../../media-server/test/hls/helpers/service-harness.js';
import type { MediaMessage } from '../../../media-server/src/media/types.js';
import { launchBrowser, type LaunchedBrowser } from '../../helpers/browser.js';
import { measurePlayback, startPlayerPage, type PlayerPageServer } from './player-page.js';

describe('AV1 LL-HLS playback in Chromium', () => {
  let dir: string;
  let harness: Harness;
  let pageServer: PlayerPageServer;
  let browser: LaunchedBrowser;
  let messages: MediaMessage[];
  let stopped = false;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-av1-'));
    await encodeFragmentedMp4(join(dir, 'av1.mp4'), 'av1', 30);
    messages = await readFragmentedMp4(join(dir, 'av1.mp4'), 'av1');
    harness = await startHarness({ segmentDurationMs: 1000, partDurationMs: 200, windowSegments: 6, endGraceMs: 2000 });
    pageServer = await startPlayerPage();
    browser = await launchBrowser({ viewport: { width: 400, height: 300 } });
  });

  after(async () => {
    stopped = true;
    await browser?.close();
    await pageServer?.close();
    await harness?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Publishes the file at its own pace, like a live encoder would. */
  async function publish(name: string): Promise<void> {
    const sink = harness.service.open({ app: 'live', name, publishedAt: new Date() });
    const startedAt = performance.now();
    for (const message of messages) {
      if (stopped) break;
      if (message.type === 'video') {
        const wait = startedAt + message.timestamp - performance.now();
        if (wait > 0) await sleep(wait);
      }
      sink.write(message);
    }
    sink.end('unpublish');
  }

  for (const start of ['startHlsjs', 'startVideojs'] as const) {
    it(`${start === 'startHlsjs' ? 'hls.js' : 'video.js'} decodes the AV1 stream`, async (t) => {
      const name = `av1-${start}`;
      const publishing = publish(name);
      const page = browser.page;
      try {
        const first = await fetch(`${harness.base}/live/${name}/index.m3u8`);
        assert.match(await first.text(), /CODECS="av01\.0\.\d\dM\.08",RESOLUTION=320x240/);
        const { begin, end: s } = await measurePlayback(page, pageServer, start, `${harness.base}/live/${name}/index.m3u8`, 4000);
        assert.equal(s.mediaError, null);
        assert.deepEqual(s.errors, [], s.warnings.join('\n'));
        assert.ok(s.currentTime - begin.currentTime > 2.5, `currentTime advanced ${s.currentTime - begin.currentTime} s in 4 s`);
        assert.ok(s.framesDecoded - begin.framesDecoded > 30, `${s.framesDecoded - begin.framesDecoded} AV1 frames decoded in 4 s`);
        t.diagnostic(`${start}: AV1 currentTime +${(s.currentTime - begin.currentTime).toFixed(2)} s, ${s.framesDecoded - begin.framesDecoded} frames decoded in 4 s`);
      } finally {
        await page.goto('about:blank');
        stopped = true;
        await publishing;
        stopped = false;
      }
    });
  }
});
