// POST /api/rtmp/on-record-done on the REAL app (next start), with real HTTP/1.0 requests in
// nginx-rtmp's record_done form and recordings made by real ffmpeg: the bundled media server's
// folder form, nginx-rtmp's FLV form (remuxed), idempotency, untrusted paths, recording off; then
// the video page, signed URLs (authorize + expiry), private videos, and the download MP4.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../../../../lib/db';
import { parseRecordedPlaylist } from '../../../../../lib/recordings/playlist';
import { recordingPath, signToken } from '../../../../../lib/recordings/signed-url';
import { sendRawHttp } from '../../../../helpers/raw-http';
import { makeFlv, makeRecordingFolder, probe, recordDoneRequest } from '../../../../helpers/recordings';
import { startWebApp, type WebApp } from '../../../../helpers/web-app';

describe('POST /api/rtmp/on-record-done (real app, real ffmpeg recordings)', { timeout: 900_000 }, () => {
  let app: WebApp;
  let db: Db;
  let tmp: string;
  let recordDir: string;
  let flvDir: string;
  let n = 0;
  const target = () => `/api/rtmp/on-record-done?secret=${encodeURIComponent(app.callbackSecret)}`;
  const send = (fields: Record<string, string>, path = target()) => sendRawHttp(app.port, recordDoneRequest(path, fields), 120_000);

  async function newChannel() {
    const slug = `rec_${++n}`;
    const { channel } = await createUserWithChannel(db, { username: slug, passwordHash: null });
    await db.channel.update({ where: { id: channel.id }, data: { title: `Title of ${slug}` } });
    return { slug, channelId: channel.id };
  }

  async function bundledFolder(slug: string, recordingId: string, seconds: number, finished = true) {
    const folder = join(recordDir, 'live', slug, recordingId);
    await mkdir(folder, { recursive: true });
    await makeRecordingFolder(folder, seconds, { finished });
    return folder;
  }

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-record-done-'));
    recordDir = join(tmp, 'recordings');
    flvDir = join(tmp, 'flv');
    await mkdir(recordDir);
    await mkdir(flvDir);
    app = await startWebApp({ env: { RECORD_DIR: recordDir, RECORD_PATH: flvDir, RECORDINGS_MIN_FREE_GB: '0', PUBLIC_RECORDINGS_URL: 'http://127.0.0.1:9' } });
    db = createDb(app.databaseUrl);
  });
  after(async () => {
    await db?.$disconnect();
    await app?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('on_publish: the allowing answer carries X-OnAir-Record: 1 while the channel records, none when it does not', async () => {
    const { slug, channelId } = await newChannel();
    const owner = await db.channel.findUniqueOrThrow({ where: { id: channelId }, select: { userId: true } });
    const { key } = await resetStreamKey(db, owner.userId);
    const publish = (clientid: string) =>
      fetch(app.callbackUrl('on-publish'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ app: 'live', flashver: 'FMLE/3.0', addr: '127.0.0.1', clientid, call: 'publish', name: slug, type: 'live', key }).toString(),
      });
    const done = (clientid: string) =>
      fetch(app.callbackUrl('on-publish-done'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ app: 'live', addr: '127.0.0.1', clientid, call: 'publish_done', name: slug, key }).toString(),
      });
    const recorded = await publish('900');
    assert.equal(recorded.status, 200, await recorded.text());
    assert.equal(recorded.headers.get('x-onair-record'), '1');
    await (await done('900')).text();
    await db.channel.update({ where: { id: channelId }, data: { recordBroadcasts: false } });
    const unrecorded = await publish('901');
    assert.equal(unrecorded.status, 200, await unrecorded.text());
    assert.equal(unrecorded.headers.get('x-onair-record'), null);
    await (await done('901')).text();
  });

  it('bundled form: registers once (duration = EXTINF sum, size = folder, title, thumbnail); a repeat is the same row', async () => {
    const { slug, channelId } = await newChannel();
    const folder = await bundledFolder(slug, 'lq2x8k3z0001', 20);
    const fields = { app: 'live', name: slug, path: join(folder, 'index.m3u8'), recorder: 'onair', onair_broadcast: 'lq2x8k3z0001', onair_reason: 'ended' };
    const first = await send(fields);
    assert.equal(first.status, 200, `${first.body}\n${app.output().slice(-3000)}`);
    const rows = await db.broadcast.findMany({ where: { channelId } });
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.folder, `live/${slug}/lq2x8k3z0001`);
    assert.equal(row.title, `Title of ${slug}`);
    assert.ok(Math.abs(row.durationMs - 20_000) <= 2_000, `duration ${row.durationMs}`);
    const files = await readdir(folder);
    let size = 0;
    for (const f of files) size += (await stat(join(folder, f))).size;
    assert.equal(Number(row.sizeBytes), size);
    assert.equal(row.thumbnail, 'thumbnail.jpg');
    assert.ok((await stat(join(folder, 'thumbnail.jpg'))).size > 1000);

    const again = await send(fields);
    assert.equal(again.status, 200);
    const [a, b] = await Promise.all([send(fields), send(fields)]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    assert.equal(await db.broadcast.count({ where: { channelId } }), 1);
  });

  it('a recording left unfinished by a crash (EVENT, no ENDLIST) is finished as VOD and registered', async () => {
    const { slug, channelId } = await newChannel();
    const folder = await bundledFolder(slug, 'lq2x8k3z0002', 6, false);
    const response = await send({ app: 'live', name: slug, path: join(folder, 'index.m3u8'), onair_reason: 'recovered' });
    assert.equal(response.status, 200, response.body);
    const playlist = await readFile(join(folder, 'index.m3u8'), 'utf8');
    assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.equal(parseRecordedPlaylist(playlist).ended, true);
    assert.equal(await db.broadcast.count({ where: { channelId } }), 1);
  });

  it('untrusted paths: outside RECORD_DIR, through a symlink, or off the layout are refused (400) and nothing changes; bad secret 403', async () => {
    const { slug, channelId } = await newChannel();
    const outside = join(tmp, 'outside', 'live', slug, 'lq2x8k3z0003');
    await mkdir(outside, { recursive: true });
    await makeRecordingFolder(outside, 4);
    await mkdir(join(recordDir, 'live', slug), { recursive: true });
    await symlink(outside, join(recordDir, 'live', slug, 'lq2x8k3z0004'));
    const offLayout = join(recordDir, 'live', slug, 'UPPER');
    await mkdir(offLayout, { recursive: true });
    await makeRecordingFolder(offLayout, 4);
    for (const path of [
      join(outside, 'index.m3u8'),
      `${recordDir}/live/${slug}/../../../outside/live/${slug}/lq2x8k3z0003/index.m3u8`,
      join(recordDir, 'live', slug, 'lq2x8k3z0004', 'index.m3u8'),
      join(offLayout, 'index.m3u8'),
      'relative/live/x/lq2x8k3z0003/index.m3u8',
      '/etc/passwd',
      join(flvDir, '..', '..', 'x.flv'),
    ]) {
      const response = await send({ app: 'live', name: slug, path });
      assert.equal(response.status, 400, `${path}: ${response.status} ${response.body}`);
    }
    // The form's app/name/onair_broadcast must name the folder its path does.
    const inside = await bundledFolder(slug, 'lq2x8k3z0008', 4);
    for (const fields of [{ app: 'other' }, { name: 'rec_1' }, { onair_broadcast: 'lq2x8k3z0009' }]) {
      const response = await send({ app: 'live', name: slug, path: join(inside, 'index.m3u8'), onair_broadcast: 'lq2x8k3z0008', ...fields });
      assert.equal(response.status, 400, JSON.stringify(fields));
    }
    const wrong = await send({ app: 'live', name: slug, path: join(outside, 'index.m3u8') }, `${target()}x`);
    assert.equal(wrong.status, 403);
    assert.equal(await db.broadcast.count({ where: { channelId } }), 0);
    assert.ok(existsSync(join(outside, 'index.m3u8')));
  });

  it('recording off: the folder is deleted, no row; onair_reason=disk-low leaves the dashboard notice', async () => {
    const { slug, channelId } = await newChannel();
    await db.channel.update({ where: { id: channelId }, data: { recordBroadcasts: false } });
    const folder = await bundledFolder(slug, 'lq2x8k3z0005', 4);
    const response = await send({ app: 'live', name: slug, path: join(folder, 'index.m3u8'), onair_reason: 'disk-low' });
    assert.equal(response.status, 200);
    assert.equal(existsSync(folder), false);
    assert.equal(await db.broadcast.count({ where: { channelId } }), 0);
    assert.notEqual((await db.channel.findUniqueOrThrow({ where: { id: channelId } })).recordingLowDiskAt, null);
  });

  it('nginx-rtmp FLV form: remuxed (stream copy) into onair_hls/<slug>/<id>/, FLV deleted, registered once', async () => {
    const { slug, channelId } = await newChannel();
    const flv = join(flvDir, `${slug}-1796000000.flv`);
    await makeFlv(flv, 12);
    const fields = { app: 'onair_hls', name: slug, path: flv };
    const response = await send(fields);
    assert.equal(response.status, 200, `${response.body}\n${app.output().slice(-3000)}`);
    assert.equal(existsSync(flv), false);
    const row = await db.broadcast.findFirstOrThrow({ where: { channelId } });
    assert.match(row.folder, new RegExp(`^onair_hls/${slug}/[a-z0-9]{8,32}$`));
    assert.equal(row.startedAt.getTime(), 1_796_000_000_000);
    assert.ok(Math.abs(row.durationMs - 12_000) <= 2_000, `duration ${row.durationMs}`);
    const folder = join(recordDir, row.folder);
    const playlist = parseRecordedPlaylist(await readFile(join(folder, 'index.m3u8'), 'utf8'));
    assert.equal(playlist.ended, true);
    assert.deepEqual(playlist.maps, ['init.mp4']);
    assert.deepEqual((await probe(join(folder, 'index.m3u8'))).codecs, ['aac', 'h264']);
    assert.equal((await send(fields)).status, 200);
    assert.equal(await db.broadcast.count({ where: { channelId } }), 1);
  });

  it('video page: signed playlist URL for who may watch; private is 404 to others; authorize checks tokens and expiry', async () => {
    const { slug, channelId } = await newChannel();
    const folder = await bundledFolder(slug, 'lq2x8k3z0006', 20);
    assert.equal((await send({ app: 'live', name: slug, path: join(folder, 'index.m3u8') })).status, 200);
    const row = await db.broadcast.findFirstOrThrow({ where: { channelId } });

    const pageUrl = `${app.url}/${slug}/videos/${row.id}`;
    const page = await fetch(pageUrl);
    assert.equal(page.status, 200);
    const html = await page.text();
    const signed = /http:\/\/127\.0\.0\.1:9(\/recordings\/[0-9]+\.[A-Za-z0-9_-]{43}\/live\/[a-z0-9_]+\/lq2x8k3z0006\/index\.m3u8)/.exec(html);
    assert.ok(signed?.[1], 'the page carries a signed playlist URL');
    assert.ok(!html.includes(app.mediaServerApiToken), 'the signing key never reaches the page');
    const channelPage = await (await fetch(`${app.url}/${slug}`)).text();
    assert.ok(channelPage.includes(`/${slug}/videos/${row.id}`), 'listed on the channel page');

    const authorize = (uri: string) => fetch(`${app.url}/api/recordings/authorize`, { headers: { 'X-Original-URI': uri } });
    const ok = await authorize(signed[1]);
    assert.equal(ok.status, 204);
    const maxAge = Number(ok.headers.get('x-onair-max-age'));
    assert.ok(maxAge > 3600 && maxAge <= 6 * 3600, `max-age ${maxAge}`);
    assert.equal((await authorize(signed[1].replace('index.m3u8', 'seg-00001.m4s'))).status, 204);
    const ref = { app: 'live', name: slug, recordingId: 'lq2x8k3z0006' };
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await authorize(recordingPath(signToken(app.mediaServerApiToken, now - 1, ref), ref, 'index.m3u8'))).status, 403, 'expired');
    assert.equal((await authorize(recordingPath(signToken(app.mediaServerApiToken, now + 2, ref), ref, 'index.m3u8'))).status, 204);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await authorize(recordingPath(signToken(app.mediaServerApiToken, now + 2, ref), ref, 'index.m3u8'))).status, 403, 'expired after its time');
    assert.equal((await authorize(recordingPath(signToken('another key of enough length', now + 60, ref), ref, 'index.m3u8'))).status, 403);
    assert.equal((await authorize(signed[1].replace(slug, 'other'))).status, 403);

    await db.broadcast.update({ where: { id: row.id }, data: { visibility: 'private' } });
    assert.equal((await fetch(pageUrl)).status, 404);
    assert.equal((await fetch(`${pageUrl}/download`, { redirect: 'manual' })).status, 404);
    assert.equal((await fetch(`${app.url}/api/broadcasts/${row.id}/thumbnail`)).status, 404);
    assert.ok(!(await (await fetch(`${app.url}/${slug}`)).text()).includes(row.id), 'private: not listed for others');
  });

  it('download: download.mp4 made on first request (stream copy, same codecs and duration), then a 302 to its signed URL', async () => {
    const { slug, channelId } = await newChannel();
    const folder = await bundledFolder(slug, 'lq2x8k3z0007', 20);
    assert.equal((await send({ app: 'live', name: slug, path: join(folder, 'index.m3u8') })).status, 200);
    const row = await db.broadcast.findFirstOrThrow({ where: { channelId } });
    const response = await fetch(`${app.url}/${slug}/videos/${row.id}/download`, { redirect: 'manual' });
    assert.equal(response.status, 302, await response.text());
    assert.match(response.headers.get('location') ?? '', /^http:\/\/127\.0\.0\.1:9\/recordings\/[0-9]+\.[A-Za-z0-9_-]{43}\/live\/[a-z0-9_]+\/lq2x8k3z0007\/download\.mp4$/);
    const mp4 = await probe(join(folder, 'download.mp4'));
    const source = await probe(join(folder, 'index.m3u8'));
    assert.deepEqual(mp4.codecs, source.codecs);
    assert.ok(Math.abs(mp4.duration - source.duration) < 0.5, `${mp4.duration} vs ${source.duration}`);
    const updated = await db.broadcast.findUniqueOrThrow({ where: { id: row.id } });
    assert.ok(Number(updated.sizeBytes) > Number(row.sizeBytes) + (await stat(join(folder, 'download.mp4'))).size / 2, 'the download counts in the size');
  });
});
