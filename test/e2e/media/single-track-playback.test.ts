// Audio-only and video-only publishes play too: a live ffmpeg (FLV on a pipe) per kind, fed
// into the HLS service, played in Chromium with hls.js and video.js.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FlvStreamParser } from '../../../media-server/test/hls/helpers/flv-file.js';
import { startHarness, type Harness } from '../../../media-server/test/hls/helpers/service-harness.js';
import { publishTestPattern } from '../../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../../helpers/browser.js';
import { measurePlayback, startPlayerPage, type PlayerPageServer, type PlayerStatus } from './player-page.js';

describe('single-track LL-HLS playback in Chromium', () => {
  let harness: Harness;
  let pageServer: PlayerPageServer;
  let browser: LaunchedBrowser;
  const publishers: ManagedProcess[] = [];

  before(async () => {
    harness = await startHarness({ segmentDurationMs: 1000, partDurationMs: 200, windowSegments: 6, endGraceMs: 2000 });
    for (const kind of ['audio', 'video'] as const) {
      const sink = harness.service.open({ app: 'live', name: `${kind}-only`, publishedAt: new Date() });
      const publisher = publishTestPattern({ url: 'pipe:1', audio: kind === 'audio', video: kind === 'video', gop: 30 });
      const parser = new FlvStreamParser();
      publisher.child.stdout?.on('data', (chunk: Buffer) => {
        for (const message of parser.push(chunk)) sink.write(message);
      });
      publishers.push(publisher);
    }
    pageServer = await startPlayerPage();
    browser = await launchBrowser({ viewport: { width: 400, height: 300 } });
  });

  after(async () => {
    await browser?.close();
    await pageServer?.close();
    await Promise.all(publishers.map((p) => p.stop()));
    await harness?.close();
  });

  const cases = [
    { kind: 'audio', start: 'startHlsjs', codecs: 'mp4a.40.2' },
    { kind: 'audio', start: 'startVideojs', codecs: 'mp4a.40.2' },
    { kind: 'video', start: 'startHlsjs', codecs: 'avc1.' },
    { kind: 'video', start: 'startVideojs', codecs: 'avc1.' },
  ] as const;
  for (const { kind, start, codecs } of cases) {
    it(`${kind}-only plays with ${start === 'startHlsjs' ? 'hls.js' : 'video.js'}`, async (t) => {
      const url = `${harness.base}/live/${kind}-only/index.m3u8`;
      const multivariant = await (await fetch(url)).text();
      assert.ok(multivariant.includes(`CODECS="${codecs}`), multivariant);
      if (kind === 'audio') assert.doesNotMatch(multivariant, /RESOLUTION/);
      const page = browser.page;
      try {
        // Measure once playback (and, for video, the decoder) has started: right after joining a
        // seconds-old stream VHS sometimes skips ahead to the next segment and stalls ~1 s first.
        const started = (status: PlayerStatus) => status.currentTime > 0.5 && (kind !== 'video' || status.framesDecoded >= 10);
        const { begin, end: s } = await measurePlayback(page, pageServer, start, url, 3000, started);
        assert.equal(s.mediaError, null);
        assert.deepEqual(s.errors, [], s.warnings.join('\n'));
        assert.ok(s.currentTime - begin.currentTime > 1.5, `currentTime advanced ${s.currentTime - begin.currentTime} s in 3 s`);
        if (kind === 'video') assert.ok(s.framesDecoded > begin.framesDecoded, 'frames decoded');
        t.diagnostic(`${kind}-only ${start}: currentTime +${(s.currentTime - begin.currentTime).toFixed(2)} s in 3 s`);
      } finally {
        await page.goto('about:blank');
      }
    });
  }
});
