// Recording past broadcasts end to end (issue #15, CONTRACT-15): real ffmpeg publishes through
// the real media server process, a real HTTP hook server answers on_publish with
// `X-OnAir-Record: 1` and records on_record_done. Checks the broadcast folder (VOD playlist,
// duration, ffprobe codecs), the callback's fields, one broadcast with a discontinuity across a
// reconnect within grace, rewind while live (the first segment stays listed and fetchable past
// the in-memory window), signed URLs (served; expired, forged and wrong-path ones get 403), and
// the start-up recovery of a recording whose server was killed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { signRecordingToken } from '../../src/recordings/signed-path.js';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startHookServer, type HookRequest, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';

const run = promisify(execFile);

function extinfSum(playlist: string): number {
  let sum = 0;
  for (const match of playlist.matchAll(/^#EXTINF:([\d.]+),/gm)) sum += Number(match[1]);
  return sum;
}

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function ffprobe(path: string): Promise<{ codecs: string[]; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path]);
  const parsed = JSON.parse(stdout) as { streams: Array<{ codec_name: string }>; format: { duration: string } };
  return { codecs: parsed.streams.map((s) => s.codec_name).sort(), duration: Number(parsed.format.duration) };
}

const recordDone = (name: string) => (r: HookRequest) => r.path === '/on_record_done' && r.form.get('name') === name;

describe('recording broadcasts with the bundled media server', () => {
  let hooks: HookServer;
  let server: MediaServerProcess;
  let recordDir: string;
  const serverArgs = (minFreeGb = '0') => [
    '--on-publish',
    hooks.url('/on_publish'),
    '--on-record-done',
    hooks.url('/on_record_done'),
    '--record-dir',
    recordDir,
    '--record-min-free-gb',
    minFreeGb,
    '--segment-duration-ms',
    '1000',
    '--part-duration-ms',
    '250',
    '--end-grace-ms',
    '4000',
    // A short window: the rewind check passes the window, the in-memory segments and the point
    // where old segments forget their parts (twice the window) within seconds.
    '--hls-window',
    '3',
  ];

  before(async () => {
    recordDir = await mkdtemp(join(tmpdir(), 'onair-rec-test-'));
    hooks = await startHookServer((request) => {
      if (request.path !== '/on_publish') return { status: 200 };
      const name = request.form.get('name') ?? '';
      return { status: 200, headers: name.startsWith('rec') ? { 'X-OnAir-Record': '1' } : { 'X-OnAir-Record': '0' } };
    });
    server = await startMediaServerProcess(serverArgs());
  });

  after(async () => {
    await server?.stop();
    await hooks?.close();
    await rm(recordDir, { recursive: true, force: true });
  });

  it('records 20 s into a VOD folder, keeps the whole broadcast rewindable while live, announces it and serves it signed', async () => {
    const recorded = publishTestPattern({ url: server.rtmpUrl('rec-long'), durationSeconds: 20, gop: 30 });
    const plain = publishTestPattern({ url: server.rtmpUrl('plain'), durationSeconds: 14, gop: 30 });
    let firstBytes: Buffer;
    try {
      // Rewind while live: past the window (3 one-second segments), the in-memory ones (2) and
      // twice the window (old segments keep no part records),
      // the recorded stream still lists its first segment, which is served from the recording.
      await new Promise((r) => setTimeout(r, 13_000));
      const live = await (await fetch(server.httpUrl('/live/rec-long/media.m3u8'))).text();
      assert.match(live, /#EXT-X-MEDIA-SEQUENCE:0\n/);
      const firstUri = /^([a-z0-9]+\/seg-0\.m4s)$/m.exec(live)?.[1];
      assert.ok(firstUri, `first segment listed:\n${live}`);
      assert.ok(extinfSum(live) >= 10, 'the whole broadcast so far is listed');
      assert.match(live, /#EXT-X-SERVER-CONTROL:.*CAN-SKIP-UNTIL=6/);
      const first = await fetch(server.httpUrl(`/live/rec-long/${firstUri}`));
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('content-type'), 'video/mp4');
      firstBytes = Buffer.from(await first.arrayBuffer());
      assert.ok(firstBytes.length > 1000);
      // A blocking reload for a long-gone part is answered at once (the segment is complete).
      const started = Date.now();
      assert.equal((await fetch(server.httpUrl('/live/rec-long/media.m3u8?_HLS_msn=0&_HLS_part=3'))).status, 200);
      assert.ok(Date.now() - started < 1000);
      // A delta update skips the old part of the broadcast: reloads stay small.
      const delta = await (await fetch(server.httpUrl('/live/rec-long/media.m3u8?_HLS_skip=YES'))).text();
      assert.match(delta, /#EXT-X-SKIP:SKIPPED-SEGMENTS=\d+/);
      assert.ok(delta.length < live.length);
      // Without recording, the old window rule: the first segment is gone from the playlist.
      const plainLive = await (await fetch(server.httpUrl('/live/plain/media.m3u8'))).text();
      assert.doesNotMatch(plainLive, /#EXT-X-MEDIA-SEQUENCE:0\n/);
      assert.equal(await recorded.exited(), 0);
      assert.equal(await plain.exited(), 0);
    } finally {
      await recorded.stop();
      await plain.stop();
    }

    const done = await hooks.waitFor(recordDone('rec-long'), 20_000);
    const form = done.form;
    assert.equal(form.get('call'), 'record_done');
    assert.equal(form.get('recorder'), 'onair');
    assert.equal(form.get('app'), 'live');
    assert.equal(form.get('onair_reason'), 'ended');
    assert.equal(form.get('addr'), '127.0.0.1');
    assert.match(form.get('clientid') ?? '', /^\d+$/);
    const broadcastId = form.get('onair_broadcast') ?? '';
    assert.match(broadcastId, /^[a-z0-9]{8,32}$/);
    const folder = join(recordDir, 'live', 'rec-long', broadcastId);
    assert.equal(form.get('path'), join(folder, 'index.m3u8'));
    assert.deepEqual(await readdir(join(recordDir, 'live', 'rec-long')), [broadcastId], 'one folder per broadcast');
    assert.ok(!(await readdir(recordDir)).includes('plain') && !(await readdir(join(recordDir, 'live'))).includes('plain'), 'not recorded without X-OnAir-Record: 1');

    const playlist = await readFile(join(folder, 'index.m3u8'), 'utf8');
    assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD\n/);
    assert.match(playlist, /#EXT-X-ENDLIST\n$/);
    assert.match(playlist, /^#EXT-X-MAP:URI="init-0\.mp4"$/m);
    assert.ok(Math.abs(extinfSum(playlist) - 20) <= 1, `duration ${extinfSum(playlist)} s is 20 s within one segment`);
    // The marker goes once the 2xx answer is in.
    const files = await eventually(async () => {
      const names = await readdir(folder);
      return names.includes('record-done.pending') ? undefined : names;
    }, 5000, 'marker removed');
    for (const file of files) assert.match(file, /^(?:[a-z0-9-]+\.(?:mp4|m4s)|index\.m3u8)$/, `no stray file: ${file}`);
    assert.deepEqual(await readFile(join(folder, 'seg-0.m4s')), firstBytes, 'the live URL served the recorded file');

    const probe = await ffprobe(join(folder, 'index.m3u8'));
    assert.deepEqual(probe.codecs, ['aac', 'h264']);
    assert.ok(Math.abs(probe.duration - 20) <= 1, `ffprobe duration ${probe.duration}`);

    // Signed serving.
    const expires = Math.floor(Date.now() / 1000) + 600;
    const token = signRecordingToken(server.apiToken, expires, 'live', 'rec-long', broadcastId);
    const base = `/recordings/${token}/live/rec-long/${broadcastId}`;
    const signedPlaylist = await fetch(server.httpUrl(`${base}/index.m3u8`));
    assert.equal(signedPlaylist.status, 200);
    assert.equal(signedPlaylist.headers.get('content-type'), 'application/vnd.apple.mpegurl');
    assert.equal(signedPlaylist.headers.get('access-control-allow-origin'), '*');
    assert.match(signedPlaylist.headers.get('cache-control') ?? '', /^private, max-age=(59\d|600)$/);
    assert.equal(await signedPlaylist.text(), playlist);
    const ranged = await fetch(server.httpUrl(`${base}/seg-0.m4s`), { headers: { Range: 'bytes=0-99' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), `bytes 0-99/${firstBytes.length}`);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), firstBytes.subarray(0, 100));
    // ffprobe through the signed URL: relative URIs keep the token.
    const remote = await ffprobe(server.httpUrl(`${base}/index.m3u8`));
    assert.deepEqual(remote.codecs, ['aac', 'h264']);

    const expired = signRecordingToken(server.apiToken, Math.floor(Date.now() / 1000) - 1, 'live', 'rec-long', broadcastId);
    const forged = signRecordingToken('not-the-token', expires, 'live', 'rec-long', broadcastId);
    const otherPath = signRecordingToken(server.apiToken, expires, 'live', 'plain', broadcastId);
    for (const path of [
      `/recordings/${expired}/live/rec-long/${broadcastId}/index.m3u8`,
      `/recordings/${forged}/live/rec-long/${broadcastId}/index.m3u8`,
      `/recordings/${otherPath}/live/rec-long/${broadcastId}/index.m3u8`,
      `/recordings/${token}/live/rec-long/${broadcastId}/..%2F..%2Fplain`,
      `/recordings/${token}/live/rec-long/${broadcastId}/record-done.pending`,
    ]) {
      const res = await fetch(server.httpUrl(path));
      assert.equal(res.status, 403, path);
      assert.equal(await res.text(), 'forbidden\n');
    }
  });

  it('keeps a reconnect within the grace period as one broadcast with a discontinuity', async () => {
    const firstRun = publishTestPattern({ url: server.rtmpUrl('rec-again'), durationSeconds: 4 });
    assert.equal(await firstRun.exited(), 0);
    const secondRun = publishTestPattern({ url: server.rtmpUrl('rec-again'), durationSeconds: 4 });
    assert.equal(await secondRun.exited(), 0);
    const done = await hooks.waitFor(recordDone('rec-again'), 20_000);
    const broadcastId = done.form.get('onair_broadcast') ?? '';
    assert.deepEqual(await readdir(join(recordDir, 'live', 'rec-again')), [broadcastId]);
    const playlist = await readFile(join(recordDir, 'live', 'rec-again', broadcastId, 'index.m3u8'), 'utf8');
    assert.match(playlist, /#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-1\.mp4"\n/);
    assert.equal(playlist.match(/#EXT-X-DISCONTINUITY\n/g)?.length, 1);
    assert.ok(Math.abs(extinfSum(playlist) - 8) <= 2, `duration ${extinfSum(playlist)}`);
    const probe = await ffprobe(join(recordDir, 'live', 'rec-again', broadcastId, 'index.m3u8'));
    assert.deepEqual(probe.codecs, ['aac', 'h264']);
    assert.equal(hooks.requests.filter(recordDone('rec-again')).length, 1);
  });

  it('finalises and announces a recording left unfinished by a killed server at the next start', async () => {
    const publisher = publishTestPattern({ url: server.rtmpUrl('rec-crash') });
    try {
      const folderOf = async () => {
        const ids = await readdir(join(recordDir, 'live', 'rec-crash'));
        const text = ids[0] && (await readFile(join(recordDir, 'live', 'rec-crash', ids[0], 'index.m3u8'), 'utf8'));
        return text && extinfSum(text) >= 3 ? ids[0] : undefined;
      };
      const broadcastId = await eventually(folderOf, 20_000, 'three recorded segments');
      process.kill(server.process.pid, 'SIGKILL');
      await server.process.exited();
      const unfinished = await readFile(join(recordDir, 'live', 'rec-crash', broadcastId, 'index.m3u8'), 'utf8');
      assert.match(unfinished, /#EXT-X-PLAYLIST-TYPE:EVENT\n/);
      assert.doesNotMatch(unfinished, /#EXT-X-ENDLIST/);
      await publisher.stop();

      server = await startMediaServerProcess(serverArgs());
      const done = await hooks.waitFor(recordDone('rec-crash'), 20_000);
      assert.equal(done.form.get('onair_reason'), 'recovered');
      assert.equal(done.form.get('onair_broadcast'), broadcastId);
      const finished = await readFile(join(recordDir, 'live', 'rec-crash', broadcastId, 'index.m3u8'), 'utf8');
      assert.match(finished, /#EXT-X-PLAYLIST-TYPE:VOD\n/);
      assert.match(finished, /#EXT-X-ENDLIST\n$/);
      assert.ok(extinfSum(finished) >= extinfSum(unfinished));
      const probe = await ffprobe(join(recordDir, 'live', 'rec-crash', broadcastId, 'index.m3u8'));
      assert.deepEqual(probe.codecs, ['aac', 'h264']);
    } finally {
      await publisher.stop();
    }
  });

  it('does not record on a disk under --record-min-free-gb, and the stream plays all the same', async () => {
    const lowDisk = await startMediaServerProcess(serverArgs('1000000'));
    const publisher = publishTestPattern({ url: lowDisk.rtmpUrl('rec-lowdisk'), durationSeconds: 5 });
    try {
      const playlist = await eventually(async () => {
        const res = await fetch(lowDisk.httpUrl('/live/rec-lowdisk/media.m3u8'));
        const text = await res.text();
        return res.status === 200 && /seg-2\.m4s/.test(text) ? text : undefined;
      }, 20_000, 'the live playlist');
      assert.match(playlist, /#EXT-X-PART:/);
      await lowDisk.process.waitForOutput(/recording not started: free disk under --record-min-free-gb/, 10_000);
      assert.equal(await publisher.exited(), 0);
      const folders = await readdir(join(recordDir, 'live')).catch((): string[] => []);
      if (folders.includes('rec-lowdisk')) assert.deepEqual(await readdir(join(recordDir, 'live', 'rec-lowdisk')), [], 'nothing kept');
      assert.equal(hooks.requests.filter(recordDone('rec-lowdisk')).length, 0);
    } finally {
      await publisher.stop();
      await lowDisk.stop();
    }
  });
});
