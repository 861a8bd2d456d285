// End to end through the media server process: a real ffmpeg publishes over RTMP with a stream
// key, on_publish renames it (nginx-rtmp 3xx + Location), and the LL-HLS output on the HTTP
// port is read back by ffprobe and played in Chromium by video.js 8 + VHS and by hls.js. The
// stream key appears in no URL, playlist line or file name.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { publishTestPattern } from '../../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../../helpers/browser.js';
import { measurePlayback, startPlayerPage, type PlayerPageServer } from './player-page.js';

const streamKey = 'sk-7f3a9c1e5b2d';
const publicName = 'public-show';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String);
}

describe('RTMP publish -> LL-HLS over the media server process', () => {
  let server: ManagedProcess;
  let hooks: Server;
  let httpPort: number;
  let rtmpPort: number;
  let hlsDir: string;
  let browser: LaunchedBrowser;
  let pageServer: PlayerPageServer;
  const hookNames: string[] = [];

  before(async () => {
    hlsDir = await mkdtemp(join(tmpdir(), 'onair-e2e-hls-'));
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const name = new URLSearchParams(body).get('name') ?? '';
        hookNames.push(name);
        if (req.url === '/on_publish' && name === streamKey) {
          res.writeHead(302, { Location: publicName });
        } else res.writeHead(req.url === '/on_publish_done' ? 200 : 403);
        res.end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const hookPort = (hooks.address() as { port: number }).port;
    httpPort = await freePort();
    rtmpPort = await freePort();
    server = startProcess(process.execPath, [
      '--import', 'tsx', 'media-server/src/main.ts',
      '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort),
      '--on-publish', `http://127.0.0.1:${hookPort}/on_publish`, '--on-publish-done', `http://127.0.0.1:${hookPort}/on_publish_done`,
      '--hls-dir', hlsDir, '--end-grace-ms', '1500',
    ]);
    await waitForPort(rtmpPort, 30_000);
    await waitForPort(httpPort, 30_000);
    pageServer = await startPlayerPage();
    browser = await launchBrowser({ viewport: { width: 400, height: 300 } });
  });

  after(async () => {
    await browser?.close();
    await pageServer?.close();
    await server?.stop();
    await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()));
    await rm(hlsDir, { recursive: true, force: true });
  });

  it('plays in video.js and hls.js, reads back in ffprobe, never shows the key, ends with ENDLIST', async (t) => {
    const base = `http://127.0.0.1:${httpPort}/live/${publicName}/`;
    const publisher = publishTestPattern({ url: `rtmp://127.0.0.1:${rtmpPort}/live/${streamKey}`, durationSeconds: 18, gop: 30 });
    const startedAt = performance.now();
    try {
      // Held by the server until the first part exists.
      let first = await fetch(`${base}media.m3u8`);
      for (let i = 0; first.status === 404 && i < 20; i++) {
        await sleep(250); // the stream does not exist until on_publish has answered
        first = await fetch(`${base}media.m3u8`);
      }
      assert.equal(first.status, 200);
      assert.match(await first.text(), /#EXT-X-PART:/);
      t.diagnostic(`first playable playlist ${(performance.now() - startedAt).toFixed(0)} ms after starting ffmpeg (process start, RTMP handshake and on_publish included)`);
      assert.equal((await fetch(`http://127.0.0.1:${httpPort}/live/${streamKey}/index.m3u8`)).status, 404);

      for (const start of ['startVideojs', 'startHlsjs'] as const) {
        // The first tab: a second tab is a background tab, whose muted video Chromium stops decoding.
        const page = browser.page;
        {
          const { begin, end: s } = await measurePlayback(page, pageServer, start, `${base}index.m3u8`, 5000);
          assert.equal(s.mediaError, null, start);
          assert.deepEqual(s.errors, [], `${start} ${s.warnings.join('\n')}`);
          // Generous bounds: ffmpeg, the server and Chromium share 2 loaded cores.
          assert.ok(s.currentTime - begin.currentTime > 2.5, `${start}: currentTime advanced ${s.currentTime - begin.currentTime} s in 5 s`);
          assert.ok(s.framesDecoded - begin.framesDecoded > 30, `${start}: ${s.framesDecoded - begin.framesDecoded} frames decoded in 5 s`);
          t.diagnostic(`${start}: currentTime +${(s.currentTime - begin.currentTime).toFixed(2)} s and ${s.framesDecoded - begin.framesDecoded} frames decoded in 5 s`);
          await page.goto('about:blank');
        }
      }
      assert.equal(await publisher.exited(), 0, publisher.output());
    } finally {
      await publisher.stop();
    }

    // Everything the publish produced, while the playlist is still live (grace period).
    const playlist = await (await fetch(`${base}media.m3u8`)).text();
    const multivariant = await (await fetch(`${base}index.m3u8`)).text();
    assert.match(multivariant, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",RESOLUTION=320x240/);
    const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)?.[1];
    assert.ok(map);
    const uris = playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const bodies = await Promise.all([map, ...uris].map(async (uri) => Buffer.from(await (await fetch(base + uri)).arrayBuffer())));
    const out = join(hlsDir, 'joined.mp4');
    await writeFile(out, Buffer.concat(bodies));
    const { stdout, stderr } = await promisify(execFile)('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0', out]);
    assert.equal(stderr, '');
    const [video, audio] = stdout.trim().split('\n');
    assert.match(video ?? '', /^h264,320,240,\d+$/);
    assert.match(audio ?? '', /^aac,\d+$/);
    t.diagnostic(`ffprobe of the window: ${stdout.trim().replace(/\n/g, ' | ')}`);

    // The key is nowhere: not in playlists, not in file names.
    for (const text of [playlist, multivariant]) assert.ok(!text.includes(streamKey));
    const files = await listFiles(hlsDir);
    assert.ok(files.some((f) => f.startsWith(join('live', publicName))));
    assert.ok(files.every((f) => !f.includes(streamKey)), files.join(' '));

    // After the grace period the playlist ends.
    await sleep(2500);
    const ended = await (await fetch(`${base}media.m3u8`)).text();
    assert.match(ended, /#EXT-X-ENDLIST\n$/);
    assert.deepEqual(hookNames.slice(0, 1), [streamKey]);
  });
});
