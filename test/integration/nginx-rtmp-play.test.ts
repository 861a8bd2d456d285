// RTMP playback in nginx-rtmp mode, everything real: Debian nginx-rtmp running the SHIPPED
// media-server/nginx/nginx.conf (rendered with envsubst as its header says), the web app with
// MEDIA_SERVER=nginx-rtmp deciding on_play / on_play_done, ffmpeg publishing, ffprobe/ffmpeg
// playing. Players watch the internal app by slug (onair_hls/<slug>); the public app, where the
// name can be a key, refuses every play; so does the web app for a key, a disabled channel, a
// channel that is not live.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../lib/db';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { renderShippedNginxConf } from '../helpers/shipped-nginx-conf';


function run(command: string, args: string[], timeoutMs = 25_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(command, args, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('nginx-rtmp mode: RTMP playback by slug (shipped nginx.conf + web app + ffmpeg)', { timeout: 15 * 60_000 }, () => {
  let tmp: string;
  let rtmpPort: number;
  let app: WebApp;
  let nginx: ManagedProcess;
  let db: Db;
  const publishers: ManagedProcess[] = [];
  let counter = 0;
  const playUrl = (name: string) => `rtmp://127.0.0.1:${rtmpPort}/onair_hls/${name}`;

  async function liveChannel() {
    const username = `nginxplay_${++counter}`;
    const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
    const { key } = await resetStreamKey(db, user.id);
    const publisher = publishTestPattern({ url: `rtmp://127.0.0.1:${rtmpPort}/live/${key}`, gop: 25, fps: 25 });
    publishers.push(publisher);
    await waitFor('the channel to go live', async () => (await db.channel.findUniqueOrThrow({ where: { id: channel.id } })).isLive);
    return { channel, key, slug: username, publisher };
  }

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-nginx-play-'));
    rtmpPort = await freePort();
    const httpPort = await freePort();
    app = await startWebApp({
      env: {
        MEDIA_SERVER: 'nginx-rtmp',
        PUBLIC_RTMP_URL: `rtmp://127.0.0.1:${rtmpPort}/live`,
        PUBLIC_HLS_URL: `http://127.0.0.1:${httpPort}/live`,
        NGINX_RTMP_RELAY_URL: `rtmp://127.0.0.1:${rtmpPort}/onair_hls`,
      },
    });
    db = createDb(app.databaseUrl);
    const rendered = renderShippedNginxConf({
      RTMP_PORT: `127.0.0.1:${rtmpPort}`,
      HTTP_PORT: `127.0.0.1:${httpPort}`,
      HLS_PATH: join(tmp, 'hls'),
      ONAIR_URL: app.url,
      RTMP_CALLBACK_SECRET: app.callbackSecret,
      CONTROL_PORT: `127.0.0.1:${await freePort()}`,
      RECORD_PATH: tmp,
    });
    const confPath = join(tmp, 'nginx.conf');
    await writeFile(confPath, rendered);
    nginx = startProcess('nginx', ['-c', confPath, '-p', '/usr/share/nginx/', '-g', `pid ${join(tmp, 'nginx.pid')}; error_log ${join(tmp, 'error.log')} info; user root;`]);
    await Promise.race([
      waitForPort(rtmpPort, 20_000),
      nginx.exited().then((code) => {
        throw new Error(`nginx exited with ${code}:\n${nginx.output()}`);
      }),
    ]);
  });

  after(async () => {
    for (const publisher of publishers) await publisher.stop(2_000);
    await nginx?.stop();
    await db?.$disconnect();
    await app?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('ffprobe rtmp://.../onair_hls/<slug> reports H.264 + AAC; ffmpeg records 5 s that decode; on_play/on_play_done reach the app', async () => {
    const { slug } = await liveChannel();
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', playUrl(slug)]);
    assert.equal(probe.code, 0, `${probe.stderr}\n${app.output().slice(-3000)}`);
    assert.deepEqual(probe.stdout.trim().split('\n').sort(), ['aac', 'h264']);
    const out = join(tmp, 'recorded.flv');
    const recorded = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', playUrl(slug), '-t', '5', '-c', 'copy', '-y', out]);
    assert.equal(recorded.code, 0, recorded.stderr);
    const decoded = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-xerror', '-i', out, '-f', 'null', '-']);
    assert.equal(decoded.code, 0, decoded.stderr);
    await waitFor('play_done in the app log', async () => /play_done/.test(app.output()));
    assert.match(app.output(), new RegExp(`play_allowed.*${slug}`));
  });

  it('refuses the public app (the name can be a key), the key on the internal app, a disabled channel and one that is not live', async () => {
    const { key, slug, channel } = await liveChannel();
    const offline = `nginxplay_${++counter}`;
    await createUserWithChannel(db, { username: offline, passwordHash: null });
    const disabled = await liveChannel();
    await db.channel.update({ where: { id: disabled.channel.id }, data: { disabled: true } });
    const refused = [`rtmp://127.0.0.1:${rtmpPort}/live/${slug}`, `rtmp://127.0.0.1:${rtmpPort}/live/${key}`, playUrl(key), playUrl(disabled.slug), playUrl(offline)];
    for (const url of refused) {
      const probe = await run('ffprobe', ['-v', 'error', '-rw_timeout', '8000000', url]);
      assert.notEqual(probe.code, 0, `${url.replace(key, '<key>')} played`);
    }
    assert.doesNotMatch(app.output(), new RegExp(key), 'the app never logs the key');
    assert.match(app.output(), /play_denied.*stream_key/);
    assert.match(app.output(), /play_denied.*channel_disabled/);
    assert.match(app.output(), /play_denied.*not_live/);
    assert.equal((await db.channel.findUniqueOrThrow({ where: { id: channel.id } })).isLive, true, 'the probes did not disturb the stream');
  });
});
