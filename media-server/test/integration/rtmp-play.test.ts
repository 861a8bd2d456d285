// RTMP playback end to end: a real ffmpeg publishes (renamed from a key to a public name by
// on_publish); ffprobe and `ffmpeg -i rtmp://.../live/<name> -t 5` play it; a play by the key,
// of a name that is not live, or one on_play refuses is refused; 20 players and one that stops
// reading: the others keep getting media and the server's memory stays bounded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startHookServer, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';
import type { ManagedProcess } from '../helpers/process.js';
import { RtmpPlayer } from '../helpers/rtmp-player.js';

const key = 'live_0123456789abcdef';

async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(fn()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

/** Runs a command to its end without blocking the event loop (the hook server answers from this process). */
function runToEnd(command: string, args: string[], timeoutMs = 30_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

describe('RTMP playback', () => {
  let hooks: HookServer;
  let server: MediaServerProcess;
  const publishers: ManagedProcess[] = [];
  let tmp: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'rtmp-play-'));
    hooks = await startHookServer((request) => {
      const name = request.form.get('name');
      if (request.path === '/on_publish') return name === key ? { status: 302, location: 'chan' } : { status: 200 };
      if (request.path === '/on_play') return name === 'refused' ? { status: 403 } : { status: 200 };
      return { status: 200 };
    });
    server = await startMediaServerProcess([
      '--on-publish', hooks.url('/on_publish'),
      '--on-publish-done', hooks.url('/on_publish_done'),
      '--on-play', hooks.url('/on_play'),
      '--on-play-done', hooks.url('/on_play_done'),
      '--rtmp-max-connections-per-address', '60',
      '--rtmp-play-max-queue-bytes', '262144',
      '--rtmp-play-max-behind-ms', '2000',
    ]);
    // 3 Mbit/s constant: a player that stops reading fills its kernel buffers within seconds.
    const cbr = ['-b:v', '3M', '-minrate', '3M', '-maxrate', '3M', '-bufsize', '600k', '-x264-params', 'nal-hrd=cbr'];
    publishers.push(publishTestPattern({ url: server.rtmpUrl(key), size: '320x240', fps: 25, gop: 25, extraOutputArgs: cbr }));
    publishers.push(publishTestPattern({ url: server.rtmpUrl('refused'), size: '160x120', fps: 10, gop: 10, audio: false }));
    await eventually(async () => {
      const streams = ((await (await server.api('/api/streams')).json()) as { streams: Array<{ name: string; videoCodec: string | null }> }).streams;
      return streams.filter((s) => s.videoCodec !== null).length === 2 ? true : undefined;
    }, 20_000, 'both streams live');
  });

  after(async () => {
    for (const p of publishers) await p.stop();
    await server?.stop();
    await hooks?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ffprobe reports H.264 and AAC from rtmp://.../live/<public name>', async () => {
    const probe = await runToEnd('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type,width,height', '-of', 'json', server.rtmpUrl('chan')]);
    assert.equal(probe.status, 0, probe.stderr);
    const streams = (JSON.parse(probe.stdout) as { streams: Array<{ codec_name: string; codec_type: string; width?: number }> }).streams;
    assert.deepEqual(streams.map((s) => s.codec_name).sort(), ['aac', 'h264']);
    assert.equal(streams.find((s) => s.codec_type === 'video')?.width, 320);
  });

  it('ffmpeg -i rtmp://.../live/<name> -t 5 records 5 s that decode, and on_play/on_play_done carry nginx-rtmp\'s form once', async () => {
    const out = join(tmp, 'recorded.flv');
    const before = hooks.requests.length;
    const recorded = await runToEnd('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', server.rtmpUrl('chan'), '-t', '5', '-c', 'copy', '-y', out]);
    assert.equal(recorded.status, 0, recorded.stderr);
    const decoded = await runToEnd('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-xerror', '-i', out, '-f', 'null', '-']);
    assert.equal(decoded.status, 0, decoded.stderr);
    const duration = await runToEnd('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out]);
    assert.ok(Number(duration.stdout) >= 4.5, `recorded ${duration.stdout.trim()} s`);
    const play = await hooks.waitFor((r, i = hooks.requests.indexOf(r)) => i >= before && r.path === '/on_play');
    assert.equal(play.form.get('call'), 'play');
    assert.equal(play.form.get('app'), 'live');
    assert.equal(play.form.get('name'), 'chan');
    assert.equal(play.form.get('addr'), '127.0.0.1');
    assert.match(play.body, /^app=live&flashver=[^&]*&swfurl=[^&]*&tcurl=[^&]*&pageurl=[^&]*&addr=127\.0\.0\.1&clientid=\d+&call=play&name=chan&start=\d+&duration=\d+&reset=[01]$/);
    const clientId = play.form.get('clientid');
    await hooks.waitFor((r) => r.path === '/on_play_done' && r.form.get('clientid') === clientId);
    await new Promise((r) => setTimeout(r, 500));
    const dones = hooks.requests.filter((r) => r.path === '/on_play_done' && r.form.get('clientid') === clientId);
    assert.equal(dones.length, 1);
    assert.equal(dones[0]?.form.get('call'), 'play_done');
    assert.equal(dones[0]?.form.get('name'), 'chan');
  });

  it('refuses the key as the name, a name that is not live, and a play on_play refuses', async () => {
    for (const name of [key, 'nobody', 'refused']) {
      const player = await RtmpPlayer.open(server.rtmpPort);
      const codes = await player.play(name);
      await player.until(() => player.closed);
      assert.equal(player.videoMessages, 0, name);
      assert.ok(codes.includes(name === 'refused' ? 'onStatus:NetStream.Play.Failed' : 'onStatus:NetStream.Play.StreamNotFound'), `${name}: ${codes.join(',')}`);
    }
    // The key never reached on_play; the refused one got no on_play_done.
    assert.ok(!hooks.requests.some((r) => r.path.startsWith('/on_play') && r.form.get('name') === key));
    assert.ok(!hooks.requests.some((r) => r.path === '/on_play_done' && r.form.get('name') === 'refused'));
    const probe = await runToEnd('ffprobe', ['-v', 'error', '-rw_timeout', '5000000', server.rtmpUrl(key)]);
    assert.notEqual(probe.status, 0);
  });

  it('20 players and one that stops reading: the others keep getting media, memory stays bounded', async () => {
    const players = await Promise.all(Array.from({ length: 20 }, () => RtmpPlayer.open(server.rtmpPort)));
    const stalled = await RtmpPlayer.open(server.rtmpPort);
    await Promise.all([...players, stalled].map((p) => p.play('chan')));
    for (const p of [...players, stalled]) assert.ok(p.statusCodes.includes('onStatus:NetStream.Play.Start'), p.statusCodes.join(','));
    stalled.stopReading();
    // Every player starts with metadata and both sequence headers, then a keyframe.
    await Promise.all(players.map((p) => p.until(() => p.keyframes >= 1 && p.audioMessages > 2)));
    for (const p of players) {
      assert.equal(p.dataNames[0], '|RtmpSampleAccess');
      assert.ok(p.dataNames.includes('onMetaData'));
      assert.deepEqual([...(p.firstPayloads[0]?.payload.subarray(0, 2) ?? [])], [0x17, 0x00], 'AVC sequence header first');
      assert.deepEqual([...(p.firstPayloads[1]?.payload.subarray(0, 2) ?? [])], [0xaf, 0x00], 'AAC sequence header second');
    }
    const rssBefore = rssKiB(server.process.pid);
    const counts = players.map((p) => p.videoMessages);
    await new Promise((r) => setTimeout(r, 8000));
    // 8 s at 25 fps is 200 frames; every reading player got most of them.
    players.forEach((p, i) => assert.ok(p.videoMessages - (counts[i] ?? 0) >= 150, `player ${i} got ${p.videoMessages - (counts[i] ?? 0)} frames`));
    // The stalled one is dropped once its kernel buffers and then its queue are full for 2 s.
    await eventually(() => (/player dropped/.test(server.process.output()) ? true : undefined), 40_000, 'stalled player dropped');
    const growthKiB = rssKiB(server.process.pid) - rssBefore;
    assert.ok(growthKiB < 30 * 1024, `server RSS grew ${growthKiB} KiB`);
    // Exactly one of the 21 plays ended (the stalled one), with one on_play_done.
    // The drop is logged before on_play_done is posted, so wait for the callback, then make sure
    // no second one follows.
    const group = new Set(hooks.requests.filter((r) => r.path === '/on_play').slice(-21).map((r) => r.form.get('clientid')));
    const groupDones = () => hooks.requests.filter((r) => r.path === '/on_play_done' && group.has(r.form.get('clientid'))).length;
    await eventually(() => (groupDones() >= 1 ? true : undefined), 5000, 'on_play_done of the stalled player');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(groupDones(), 1);
    assert.ok(players.every((p) => !p.closed));
    for (const p of [...players, stalled]) p.close();
  });

  it('players are ended when the publish ends, with one on_play_done each', async () => {
    const players = await Promise.all(Array.from({ length: 3 }, () => RtmpPlayer.open(server.rtmpPort)));
    await Promise.all(players.map((p) => p.play('chan')));
    await Promise.all(players.map((p) => p.until(() => p.keyframes >= 1)));
    const ids = new Set(hooks.requests.filter((r) => r.path === '/on_play').slice(-3).map((r) => r.form.get('clientid')));
    await publishers[0]?.stop();
    await Promise.all(players.map((p) => p.until(() => p.closed)));
    for (const p of players) assert.ok(p.statusCodes.includes('onStatus:NetStream.Play.UnpublishNotify'), p.statusCodes.join(','));
    await eventually(() => (hooks.requests.filter((r) => r.path === '/on_play_done' && ids.has(r.form.get('clientid'))).length === 3 ? true : undefined), 5000, 'three on_play_done');
  });
});
