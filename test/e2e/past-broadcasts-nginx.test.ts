// Past broadcasts in nginx-rtmp mode, everything real: Debian nginx + libnginx-mod-rtmp running the
// SHIPPED media-server/nginx/nginx.conf (envsubst as the README says), the real web app sharing
// its RECORD_DIR with nginx's record_path, ffmpeg publishing 20 s over RTMP. nginx's own
// on_record_done (its real request) -> the web app remuxes the FLV -> the channel lists it ->
// Chromium plays it from nginx's /recordings/ (signed URL, auth_request to the web app) with
// video.js, and seeking to 15 s lands within a segment of 15 s.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../lib/db';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { sendRawHttp } from '../helpers/raw-http';
import { makeReconnectedRecordingFolder, recordDoneRequest } from '../helpers/recordings';
import { waitFor } from '../helpers/wait-for';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { renderShippedNginxConf } from '../helpers/shipped-nginx-conf';

const SLUG = 'vod_nginx';
/** hls_time of the web app's remux: the contract's "within a segment". */
const SEGMENT_SECONDS = 2;

describe('past broadcasts in nginx-rtmp mode (shipped nginx.conf + web app + ffmpeg + Chromium)', { timeout: 15 * 60_000 }, () => {
  let tmp: string;
  let recordDir: string;
  let app: WebApp;
  let nginx: ManagedProcess;
  let db: Db;
  let browser: LaunchedBrowser;
  let serverUrl: string;
  let httpPort: number;
  let key: string;
  let broadcastId: string;
  const diagnostics = () => `--- web app ---\n${app?.output().slice(-4000) ?? ''}\n--- nginx ---\n${nginx?.output().slice(-2000) ?? ''}`;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-vod-nginx-'));
    recordDir = join(tmp, 'recordings');
    await mkdir(recordDir);
    const rtmpPort = await freePort();
    httpPort = await freePort();
    serverUrl = `rtmp://127.0.0.1:${rtmpPort}/live`;
    app = await startWebApp({
      env: {
        MEDIA_SERVER: 'nginx-rtmp',
        PUBLIC_RTMP_URL: serverUrl,
        PUBLIC_HLS_URL: `http://127.0.0.1:${httpPort}/live`,
        NGINX_RTMP_RELAY_URL: `rtmp://127.0.0.1:${rtmpPort}/onair_hls`,
        RECORD_DIR: recordDir,
        RECORDINGS_MIN_FREE_GB: '0',
      },
    });
    db = createDb(app.databaseUrl);
    const { user } = await createUserWithChannel(db, { username: SLUG, passwordHash: null });
    key = (await resetStreamKey(db, user.id)).key;

    const rendered = renderShippedNginxConf({
      RTMP_PORT: `127.0.0.1:${rtmpPort}`,
      HTTP_PORT: `127.0.0.1:${httpPort}`,
      HLS_PATH: join(tmp, 'hls'),
      ONAIR_URL: app.url,
      RTMP_CALLBACK_SECRET: app.callbackSecret,
      CONTROL_PORT: `127.0.0.1:${await freePort()}`,
      RECORD_PATH: recordDir,
    });
    assert.ok(!rendered.includes('${'));
    const confPath = join(tmp, 'nginx.conf');
    await writeFile(confPath, rendered);
    nginx = startProcess('nginx', ['-c', confPath, '-p', '/usr/share/nginx/', '-g', `pid ${join(tmp, 'nginx.pid')}; error_log ${join(tmp, 'error.log')} info; user root;`]);
    await Promise.race([
      Promise.all([waitForPort(rtmpPort, 20_000), waitForPort(httpPort, 20_000)]),
      nginx.exited().then((code) => {
        throw new Error(`nginx exited with ${code}:\n${nginx.output()}`);
      }),
    ]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await nginx?.stop();
    await db?.$disconnect();
    await app?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a 20 s publish becomes one past broadcast of 20 s (within a segment); the FLV is gone, the key in no file name', async () => {
    const publisher = publishTestPattern({ url: `${serverUrl}/${SLUG}?key=${key}`, durationSeconds: 20, gop: 30 });
    assert.equal(await publisher.exited(), 0, publisher.output());
    const row = await waitFor('the broadcast to be registered', () => db.broadcast.findFirst({ where: { channel: { slug: SLUG } } }), 60_000, { output: diagnostics });
    broadcastId = row.id;
    assert.ok(Math.abs(row.durationMs - 20_000) <= SEGMENT_SECONDS * 1000, `duration ${row.durationMs} ms`);
    assert.match(row.folder, new RegExp(`^onair_hls/${SLUG}/[a-z0-9]{8,32}$`));
    const top = await readdir(recordDir);
    assert.deepEqual(top, ['onair_hls'], 'no FLV left beside the remuxed folders');
    const all = await readdir(recordDir, { recursive: true });
    assert.ok(all.every((file) => !file.includes(key)), all.join(', '));
    const channelPage = await (await fetch(`${app.url}/${SLUG}`)).text();
    assert.ok(channelPage.includes(`/${SLUG}/videos/${row.id}`), 'listed under the player');
  });

  it('plays in Chromium from nginx /recordings/ with a signed URL; seeking to 15 s lands within a segment; arrows seek; ?t= starts there', async () => {
    const page = browser.page;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${app.url}/${SLUG}/videos/${broadcastId}`);
    const readVideo = () => page.evaluate(() => {
      const video = document.querySelector('video');
      return video ? { t: video.currentTime, paused: video.paused, duration: video.duration, readyState: video.readyState } : null;
    });
    await waitFor('playback', async () => ((await readVideo())?.t ?? 0) > 1, 60_000, { output: diagnostics });
    const duration = (await readVideo())?.duration ?? 0;
    assert.ok(Math.abs(duration - 20) <= SEGMENT_SECONDS, `player duration ${duration}`);

    await page.evaluate(() => {
      const video = document.querySelector('video');
      if (video) video.currentTime = 15;
    });
    const landed = await waitFor('the seek to 15 s', async () => {
      const v = await readVideo();
      return v && v.readyState >= 3 && Math.abs(v.t - 15) <= SEGMENT_SECONDS ? v : null;
    }, 30_000, { output: diagnostics });
    assert.ok(Math.abs(landed.t - 15) <= SEGMENT_SECONDS, `landed at ${landed.t}`);

    // Keyboard: focus the player, left arrow = 5 s back.
    await page.locator('.video-js').first().focus();
    const beforeKey = (await readVideo())?.t ?? 0;
    await page.keyboard.press('ArrowLeft');
    await waitFor('the left arrow to seek back', async () => ((await readVideo())?.t ?? 99) < beforeKey - 3, 10_000);

    const media = requested.filter((url) => url.startsWith(`http://127.0.0.1:${httpPort}/recordings/`));
    assert.ok(media.some((url) => url.endsWith('/index.m3u8')) && media.some((url) => url.endsWith('.m4s')), requested.join('\n'));
    for (const url of requested) assert.ok(!url.includes(key), `a request carried the key: ${url}`);

    // nginx answers the signed playlist with the cache and CORS rules; a tampered token is 403.
    const playlistUrl = media.find((url) => url.endsWith('/index.m3u8')) ?? '';
    const ok = await fetch(playlistUrl);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('cache-control') ?? '', /^private, max-age=\d+$/);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    assert.match(await ok.text(), /#EXT-X-ENDLIST/);
    const tampered = await fetch(playlistUrl.replace(/\/recordings\/(\d+)\./, (_m, exp: string) => `/recordings/${Number(exp) + 1}.`));
    await tampered.body?.cancel();
    assert.equal(tampered.status, 403);

    await page.goto(`${app.url}/${SLUG}/videos/${broadcastId}?t=10`);
    const started = await waitFor('playback from ?t=10', async () => {
      const v = await readVideo();
      return v && v.t >= 10 && !v.paused ? v : null;
    }, 60_000, { output: diagnostics });
    assert.ok(started.t < 10 + 5, `started at ${started.t}`);
  });

  it("the bundled recorder's form (a reconnect: EXT-X-DISCONTINUITY + a second EXT-X-MAP) registers and plays across the join", async () => {
    const folder = join(recordDir, 'live', SLUG, 'lq2x8k3zjoin1');
    await mkdir(folder, { recursive: true });
    await makeReconnectedRecordingFolder(folder, 10);
    const target = `/api/rtmp/on-record-done?secret=${encodeURIComponent(app.callbackSecret)}`;
    const answer = await sendRawHttp(app.port, recordDoneRequest(target, { app: 'live', name: SLUG, path: join(folder, 'index.m3u8'), recorder: 'onair', onair_broadcast: 'lq2x8k3zjoin1', onair_reason: 'ended' }), 60_000);
    assert.equal(answer.status, 200, answer.body);
    const row = await db.broadcast.findUniqueOrThrow({ where: { folder: `live/${SLUG}/lq2x8k3zjoin1` } });
    assert.ok(Math.abs(row.durationMs - 20_000) <= SEGMENT_SECONDS * 1000, `duration ${row.durationMs}`);

    const page = browser.page;
    await page.goto(`${app.url}/${SLUG}/videos/${row.id}`);
    const readVideo = () => page.evaluate(() => {
      const video = document.querySelector('video');
      return video ? { t: video.currentTime, readyState: video.readyState, paused: video.paused } : null;
    });
    await waitFor('playback', async () => ((await readVideo())?.t ?? 0) > 1, 60_000, { output: diagnostics });
    await page.evaluate(() => {
      const video = document.querySelector('video');
      if (video) video.currentTime = 15;
    });
    const landed = await waitFor('the seek to 15 s, past the discontinuity', async () => {
      const v = await readVideo();
      return v && v.readyState >= 3 && Math.abs(v.t - 15) <= SEGMENT_SECONDS ? v : null;
    }, 30_000, { output: diagnostics });
    await waitFor('playing on after the seek', async () => ((await readVideo())?.t ?? 0) > landed.t + 1, 20_000, { output: diagnostics });
  });
});
