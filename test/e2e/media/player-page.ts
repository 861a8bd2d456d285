// A tiny static site for player tests: one page that loads video.js 8 (its dist bundles VHS)
// and hls.js from node_modules, and exposes start functions plus a status probe on `window`.
// Served from its own port, so the HLS requests are cross-origin and CORS is exercised too.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';

const root = join(import.meta.dirname, '..', '..', '..', 'node_modules');

const assets: Record<string, { path: string; type: string }> = {
  '/video.min.js': { path: join(root, 'video.js', 'dist', 'video.min.js'), type: 'text/javascript' },
  '/video-js.css': { path: join(root, 'video.js', 'dist', 'video-js.css'), type: 'text/css' },
  '/hls.min.js': { path: join(root, 'hls.js', 'dist', 'hls.min.js'), type: 'text/javascript' },
};

const page = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<link rel="stylesheet" href="/video-js.css">
<script src="/video.min.js"></script>
<script src="/hls.min.js"></script>
</head>
<body>
<video id="v" class="video-js" muted playsinline width="320" height="240"></video>
<script>
  window.playerErrors = [];
  window.startVideojs = (url) => {
    const player = videojs('v', {
      autoplay: 'muted', muted: true, liveui: true,
      // VHS options live under html5.vhs; llhls (LL-HLS parts, blocking reload) is on by default in VHS 3.
      html5: { vhs: { llhls: true, overrideNative: true }, nativeAudioTracks: false, nativeVideoTracks: false },
    });
    // With the player's last warnings (VHS logs why it excluded a playlist), so that a failure says why.
    player.on('error', () => {
      // A history entry is ['VIDEOJS:', 'WARN:', ...message].
      const warnings = videojs.log.history().filter((entry) => entry[1] === 'WARN:' || entry[1] === 'ERROR:').slice(-5);
      window.playerErrors.push('videojs: ' + (player.error() && player.error().message));
      const text = (part) => { if (typeof part === 'string') return part; try { return JSON.stringify(part); } catch { return String(part); } };
      if (warnings.length > 0) window.playerWarnings = warnings.map((entry) => entry.map(text).join(' '));
    });
    player.src({ src: url, type: 'application/x-mpegURL' });
    window.liveEdge = () => { const s = player.seekable(); return s.length ? s.end(s.length - 1) : 0; };
  };
  window.startHlsjs = (url) => {
    const video = document.getElementById('v');
    const hls = new Hls({ lowLatencyMode: true });
    hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) window.playerErrors.push('hls.js: ' + data.details); });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.muted = true;
    video.play().catch((error) => window.playerErrors.push('play: ' + error.message));
    window.liveEdge = () => hls.liveSyncPosition || 0;
  };
  window.playerStatus = () => {
    const video = document.querySelector('video');
    const quality = video.getVideoPlaybackQuality();
    return {
      currentTime: video.currentTime,
      framesDecoded: quality.totalVideoFrames,
      framesDropped: quality.droppedVideoFrames,
      mediaError: video.error ? video.error.code + ' ' + video.error.message : null,
      errors: window.playerErrors,
      warnings: window.playerWarnings || [],
      liveEdge: window.liveEdge ? window.liveEdge() : 0,
      now: Date.now(),
    };
  };
</script>
</body>
</html>`;

export interface PlayerPageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPlayerPage(): Promise<PlayerPageServer> {
  const server: Server = createServer((req, res) => {
    const asset = assets[req.url ?? ''];
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (!asset) {
      res.writeHead(404);
      res.end();
      return;
    }
    readFile(asset.path).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': asset.type, 'Content-Length': body.length });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The fields of `window.playerStatus()` the tests read. */
export interface PlayerStatus {
  currentTime: number;
  framesDecoded: number;
  mediaError: string | null;
  errors: string[];
  /** video.js: its last warnings when it failed (why VHS gave up), for the failure message. */
  warnings: string[];
}

/**
 * Opens the player page in `page`, starts `start` ('startHlsjs' | 'startVideojs') on `playlistUrl`,
 * waits (up to 20 s) until `ready` (by default: 10 frames decoded), since the player's start-up is
 * not what is under test, then samples the status again `windowMs` later. The caller asserts on the pair.
 */
export async function measurePlayback(
  page: Page,
  pageServer: PlayerPageServer,
  start: 'startHlsjs' | 'startVideojs',
  playlistUrl: string,
  windowMs: number,
  ready: (status: PlayerStatus) => boolean = (status) => status.framesDecoded >= 10,
): Promise<{ begin: PlayerStatus; end: PlayerStatus }> {
  await page.goto(pageServer.url);
  await page.evaluate(([fn, url]) => (window as unknown as Record<string, (u: string) => void>)[fn]!(url), [start, playlistUrl] as const);
  const status = () => page.evaluate(() => (window as unknown as { playerStatus(): PlayerStatus }).playerStatus());
  let begin = await status();
  for (let i = 0; !ready(begin) && i < 80; i++) {
    await sleep(250);
    begin = await status();
  }
  await sleep(windowMs);
  return { begin, end: await status() };
}
