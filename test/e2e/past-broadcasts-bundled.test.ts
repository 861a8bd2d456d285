// Past broadcasts in the default (bundled) mode, the whole chain as `npm start` wires it: the real
// web app and the real bundled media server sharing RECORD_DIR, the media server's on_record_done
// posting to the web app's /api/rtmp/on-record-done?secret=..., ffmpeg publishing 20 s with the key
// of a user who signed up through the form. After the end (and a short grace) the channel lists one
// past broadcast of 20 s (within a segment); Chromium plays it with video.js from the media server's
// signed /recordings/ URL and seeks to 15 s; the download is an H.264 + AAC MP4 of the same length;
// a private video is a 404 for a visitor and another user, its media a 403 without a valid token,
// and a token stops working once expired; the dashboard's delete removes the files at once; a
// media server killed mid-broadcast finishes and announces the recording at its next start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { recordingPath, signToken } from '../../lib/recordings/signed-url';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { launchBrowser, signUpThroughForm, type LaunchedBrowser } from '../helpers/browser';
import { startPlatform, RTMP_APP, type Platform } from '../helpers/platform';
import { probe } from '../helpers/recordings';
import { waitFor } from '../helpers/wait-for';

const OWNER = 'vod_bundled';
const OTHER = 'vod_visitor';
const PASSWORD = 'correct horse battery staple';
/** The media server's segment duration (default 2 s, GOP 1 s): the contract's "within a segment". */
const SEGMENT_SECONDS = 2;

const readVideo = (page: Page) =>
  page.evaluate(() => {
    const video = document.querySelector('video');
    return video ? { t: video.currentTime, paused: video.paused, duration: video.duration, readyState: video.readyState } : null;
  });

describe('past broadcasts with the bundled media server (npm start wiring + ffmpeg + Chromium)', { timeout: 10 * 60_000 }, () => {
  let tmp: string;
  let recordDir: string;
  let platform: Platform;
  let owner: LaunchedBrowser;
  let other: LaunchedBrowser | undefined;
  let key: string;
  let broadcastId: string;
  let folder: string;
  let playlistUrl: string;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-vod-bundled-'));
    recordDir = join(tmp, 'recordings');
    // A short end grace: the recording is finished (and announced) 1 s after the publisher leaves.
    // PUBLIC_HLS_URL unset, as under a plain `npm start`: the web app derives the media server's
    // URLs (live and /recordings/) from the host the browser used and MEDIA_HTTP_PORT.
    platform = await startPlatform({
      recordDir,
      appEnv: { PUBLIC_HLS_URL: '', RECORDINGS_MIN_FREE_GB: '0' },
      mediaArgs: ['--end-grace-ms', '1000', '--record-min-free-gb', '0'],
    });
    owner = await launchBrowser();
    await signUpThroughForm(owner.page, platform.app.url, { username: OWNER, password: PASSWORD });
    const user = await platform.db.user.findUniqueOrThrow({ where: { username: OWNER } });
    key = (await resetStreamKey(platform.db, user.id)).key;
  });

  after(async () => {
    await other?.close();
    await owner?.close();
    await platform?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a 20 s publish becomes one past broadcast of 20 s (within a segment), listed on the channel page', async () => {
    const publisher = publishTestPattern({ url: platform.publishUrl(key), durationSeconds: 20, gop: 30 });
    assert.equal(await publisher.exited(), 0, publisher.output());
    const row = await waitFor('the broadcast to be registered', () => platform.db.broadcast.findFirst({ where: { channel: { slug: OWNER } } }), 60_000, platform);
    broadcastId = row.id;
    assert.ok(Math.abs(row.durationMs - 20_000) <= SEGMENT_SECONDS * 1000, `duration ${row.durationMs} ms`);
    assert.match(row.folder, new RegExp(`^${RTMP_APP}/${OWNER}/[a-z0-9]{8,32}$`));
    folder = join(recordDir, row.folder);

    // The media server drops its marker once the web app answered 2xx; the row's size is the
    // broadcast's files (not the marker that was there while the web app measured it).
    await waitFor('the record-done marker to go', async () => !existsSync(join(folder, 'record-done.pending')), 10_000, platform);
    const files = await readdir(folder);
    let bytes = 0;
    for (const file of files) bytes += (await stat(join(folder, file))).size;
    assert.equal(Number(row.sizeBytes), bytes, files.join(', '));
    const playlist = await readFile(join(folder, 'index.m3u8'), 'utf8');
    assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.match(playlist, /#EXT-X-ENDLIST/);
    const all = await readdir(recordDir, { recursive: true });
    assert.ok(all.every((file) => !file.includes(key)), 'the key is in no file name');
    assert.equal(await platform.db.broadcast.count(), 1, 'exactly one past broadcast');

    const channelPage = await (await fetch(`${platform.app.url}/${OWNER}`)).text();
    assert.ok(channelPage.includes(`/${OWNER}/videos/${row.id}`), 'listed under the player');
    assert.ok(!channelPage.includes(key));
  });

  it("plays in Chromium with video.js from the media server's signed /recordings/ URL; seeking to 15 s lands within a segment", async () => {
    const page = owner.page;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${platform.app.url}/${OWNER}/videos/${broadcastId}`);
    await waitFor('playback', async () => ((await readVideo(page))?.t ?? 0) > 1, 60_000, platform);
    const duration = (await readVideo(page))?.duration ?? 0;
    assert.ok(Math.abs(duration - 20) <= SEGMENT_SECONDS, `player duration ${duration}`);
    assert.equal(await page.locator('.video-js').count(), 1, 'the video.js player');

    await page.evaluate(() => {
      const video = document.querySelector('video');
      if (video) video.currentTime = 15;
    });
    const landed = await waitFor('the seek to 15 s', async () => {
      const v = await readVideo(page);
      return v && v.readyState >= 3 && Math.abs(v.t - 15) <= SEGMENT_SECONDS ? v : null;
    }, 30_000, platform);
    assert.ok(Math.abs(landed.t - 15) <= SEGMENT_SECONDS, `landed at ${landed.t}`);
    await waitFor('playing on after the seek', async () => ((await readVideo(page))?.t ?? 0) > landed.t + 1, 20_000, platform);

    const media = requested.filter((url) => url.startsWith(`http://127.0.0.1:${platform.mediaHttpPort}/recordings/`));
    assert.ok(media.some((url) => url.endsWith('/index.m3u8')) && media.some((url) => url.endsWith('.m4s')), requested.join('\n'));
    for (const url of requested) assert.ok(!url.includes(key), `a request carried the key: ${url}`);
    playlistUrl = media.find((url) => url.endsWith('/index.m3u8')) ?? '';

    const ok = await fetch(playlistUrl);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('cache-control') ?? '', /^private, max-age=\d+$/);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    assert.match(await ok.text(), /#EXT-X-ENDLIST/);
    const tampered = await fetch(playlistUrl.replace(/\/recordings\/(\d+)\./, (_m, exp: string) => `/recordings/${Number(exp) + 1}.`));
    await tampered.body?.cancel();
    assert.equal(tampered.status, 403);
  });

  it('the download link gives an H.264 + AAC MP4 of the same duration, from the media server with Range', async () => {
    const cookies = (await owner.context.cookies(platform.app.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await fetch(`${platform.app.url}/${OWNER}/videos/${broadcastId}/download`, { redirect: 'manual', headers: { cookie: cookies } });
    await response.body?.cancel();
    assert.equal(response.status, 302, platform.output());
    const location = response.headers.get('location') ?? '';
    assert.ok(location.startsWith(`http://127.0.0.1:${platform.mediaHttpPort}/recordings/`) && location.endsWith('/download.mp4'), location);

    const file = await fetch(location);
    assert.equal(file.status, 200);
    const body = Buffer.from(await file.arrayBuffer());
    const mp4 = join(tmp, 'download.mp4');
    await writeFile(mp4, body);
    const probed = await probe(mp4);
    assert.deepEqual(probed.codecs, ['aac', 'h264']);
    assert.ok(Math.abs(probed.duration - 20) <= SEGMENT_SECONDS, `MP4 duration ${probed.duration}`);

    const ranged = await fetch(location, { headers: { range: 'bytes=100-199' } });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), body.subarray(100, 200));

    // The download counts in the broadcast's size.
    const row = await platform.db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
    assert.ok(Number(row.sizeBytes) >= body.length, `size ${row.sizeBytes} with a ${body.length}-byte download`);
  });

  it('private: 404 for another user and a visitor (page and download), media only with an unexpired token', async () => {
    await platform.db.broadcast.update({ where: { id: broadcastId }, data: { visibility: 'private' } });
    const videoPath = `/${OWNER}/videos/${broadcastId}`;
    assert.equal((await owner.page.goto(`${platform.app.url}${videoPath}`))?.status(), 200, 'the owner still watches it');

    const visitor = await fetch(`${platform.app.url}${videoPath}`);
    assert.equal(visitor.status, 404);
    assert.ok(!(await visitor.text()).includes('/recordings/'), 'no signed URL handed out');
    const visitorDownload = await fetch(`${platform.app.url}${videoPath}/download`, { redirect: 'manual' });
    await visitorDownload.body?.cancel();
    assert.equal(visitorDownload.status, 404);
    assert.ok(!(await (await fetch(`${platform.app.url}/${OWNER}`)).text()).includes(broadcastId), 'not listed for visitors');

    other = await launchBrowser();
    await signUpThroughForm(other.page, platform.app.url, { username: OTHER, password: PASSWORD });
    assert.equal((await other.page.goto(`${platform.app.url}${videoPath}`))?.status(), 404, 'another user gets a 404');
    const otherDownload = await other.page.goto(`${platform.app.url}${videoPath}/download`);
    assert.equal(otherDownload?.status(), 404);

    // The media: no token, a token for another broadcast, an expired token: 403. A token that
    // expires in 2 s works, then stops working.
    const row = await platform.db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
    const [app = '', name = '', recordingId = ''] = row.folder.split('/');
    const ref = { app, name, recordingId };
    const base = `http://127.0.0.1:${platform.mediaHttpPort}`;
    const status = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      await response.body?.cancel();
      return response.status;
    };
    const now = Math.floor(Date.now() / 1000);
    const apiToken = platform.app.mediaServerApiToken;
    assert.equal(await status(`/recordings/${row.folder}/index.m3u8`), 403, 'no token');
    assert.equal(await status(recordingPath(signToken(apiToken, now - 1, ref), ref, 'index.m3u8')), 403, 'expired');
    assert.equal(await status(recordingPath(signToken(apiToken, now + 3600, { ...ref, recordingId: 'zzzzzzzzzz' }), ref, 'index.m3u8')), 403, "another broadcast's token");
    assert.equal(await status(recordingPath(signToken('not the key', now + 3600, ref), ref, 'index.m3u8')), 403, 'signed with another key');
    const shortLived = recordingPath(signToken(apiToken, now + 3, ref), ref, 'index.m3u8');
    assert.equal(await status(shortLived), 200, 'valid until it expires');
    await new Promise((resolve) => setTimeout(resolve, (now + 4 - Date.now() / 1000) * 1000));
    assert.equal(await status(shortLived), 403, 'expired now');
  });

  it("delete (the dashboard's action): the row and its files are gone at once; its URLs no longer serve", async () => {
    const page = owner.page;
    const row = await platform.db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
    await page.goto(`${platform.app.url}/dashboard`);
    await page.waitForFunction(() => {
      const forms = [...document.querySelectorAll('main form')];
      return forms.length > 0 && forms.every((form) => Object.keys(form).some((k) => k.startsWith('__react')));
    });
    const deleteForm = page.getByRole('form', { name: `Delete ${row.title}` });
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.request().headers()['next-action'] !== undefined),
      deleteForm.getByRole('button', { name: 'Delete' }).click(),
    ]);
    await deleteForm.waitFor({ state: 'detached' });
    assert.equal(await platform.db.broadcast.count({ where: { id: broadcastId } }), 0);
    assert.equal(existsSync(folder), false, 'the folder is gone');
    const gone = await fetch(playlistUrl);
    await gone.body?.cancel();
    assert.equal(gone.status, 404, 'the signed URL handed out before finds nothing');
    assert.equal((await fetch(`${platform.app.url}/${OWNER}/videos/${broadcastId}`)).status, 404);
  });

  it('a crash mid-broadcast (SIGKILL): the next start finishes the recording and it joins the library', async () => {
    const channelDir = join(recordDir, RTMP_APP, OWNER);
    const publisher = publishTestPattern({ url: platform.publishUrl(key), gop: 30 });
    let folderAtCrash: string;
    try {
      folderAtCrash = await waitFor('an EVENT recording with 4 segments on disk', async () => {
        for (const id of await readdir(channelDir).catch((): string[] => [])) {
          const text = await readFile(join(channelDir, id, 'index.m3u8'), 'utf8').catch(() => '');
          if (text.includes('#EXT-X-PLAYLIST-TYPE:EVENT') && (text.match(/#EXTINF/g) ?? []).length >= 4) return join(channelDir, id);
        }
        return null;
      }, 60_000, platform);
      await platform.crashMedia();
    } finally {
      await publisher.stop();
    }
    assert.doesNotMatch(await readFile(join(folderAtCrash, 'index.m3u8'), 'utf8'), /#EXT-X-ENDLIST/, 'left unfinished by the crash');
    assert.equal(await platform.db.broadcast.count(), 0, 'nothing announced by a killed process');

    await platform.restartMedia();
    const row = await waitFor('the recovered broadcast to be registered', () => platform.db.broadcast.findFirst({ where: { channel: { slug: OWNER } } }), 60_000, platform);
    assert.equal(join(recordDir, row.folder), folderAtCrash);
    const playlist = await readFile(join(folderAtCrash, 'index.m3u8'), 'utf8');
    assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.match(playlist, /#EXT-X-ENDLIST/);
    const listedMs = [...playlist.matchAll(/#EXTINF:([0-9.]+)/g)].reduce((sum, m) => sum + Number(m[1]) * 1000, 0);
    assert.ok(listedMs >= 4 * 1000 && Math.abs(row.durationMs - listedMs) <= 1, `duration ${row.durationMs} ms, playlist ${listedMs} ms`);
    await waitFor('the marker to go', async () => !existsSync(join(folderAtCrash, 'record-done.pending')), 10_000, platform);

    const page = owner.page;
    await page.goto(`${platform.app.url}/${OWNER}/videos/${row.id}`);
    await waitFor('the recovered broadcast playing', async () => ((await readVideo(page))?.t ?? 0) > 1, 60_000, platform);
  });
});
