// End to end with a real nginx-rtmp whose on_publish / on_publish_done point at the running app,
// and ffmpeg publishing over RTMP: good key allowed, bad key refused, done marks the channel offline.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../lib/db';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { launchBrowser } from '../helpers/browser';
import { nginxRtmpAvailable, startNginxRtmp, type NginxRtmp } from '../helpers/nginx-rtmp';
import { startWebApp, type WebApp } from '../helpers/web-app';

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('nginx-rtmp on_publish -> OnAir (real nginx, real ffmpeg)', { skip: !nginxRtmpAvailable() && 'nginx + libnginx-mod-rtmp not installed', timeout: 600_000 }, () => {
  let app: WebApp;
  let nginx: NginxRtmp;
  let db: Db;
  let counter = 0;

  async function channelWithKey() {
    const username = `nginx_${++counter}`;
    const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
    const { key } = await resetStreamKey(db, user.id);
    return { channel, key, slug: username };
  }
  const isLive = async (id: string) => (await db.channel.findUniqueOrThrow({ where: { id } })).isLive;

  before(async () => {
    // The app must announce nginx's RTMP URL on its dashboard, so the port is chosen first.
    const rtmpPort = await freePort();
    app = await startWebApp({ env: { MEDIA_SERVER: 'nginx-rtmp', PUBLIC_RTMP_URL: `rtmp://127.0.0.1:${rtmpPort}/live` } });
    db = createDb(app.databaseUrl);
    nginx = await startNginxRtmp({ rtmpPort, onPublish: app.callbackUrl('on-publish'), onPublishDone: app.callbackUrl('on-publish-done') });
  });
  after(async () => {
    await nginx?.stop();
    await db?.$disconnect();
    await app?.stop();
  });

  it('good key as the bare stream name, no relay configured: refused, because nginx-rtmp would name its HLS files after the key', async () => {
    // nginx-rtmp's 302 rename does not rename its HLS output (shared/fixtures, media-server/nginx/README.md),
    // so in MEDIA_SERVER=nginx-rtmp mode without NGINX_RTMP_RELAY_URL form (a) must not be accepted.
    const { channel, key } = await channelWithKey();
    const sessionsBefore = await db.streamSession.count({ where: { channelId: channel.id } });
    const ffmpeg = publishTestPattern({ url: `${nginx.rtmpUrl}/${key}`, durationSeconds: 6, audio: false });
    const code = await Promise.race([ffmpeg.exited(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    await ffmpeg.stop();
    assert.notEqual(code, 'timeout', 'ffmpeg was not dropped');
    assert.notEqual(code, 0, ffmpeg.output());
    assert.equal(await isLive(channel.id), false);
    assert.equal(await db.streamSession.count({ where: { channelId: channel.id } }), sessionsBefore);
    const files = await readdir(nginx.hlsDir);
    assert.ok(files.every((name) => !name.includes(key)), files.join(', '));
    assert.match(app.output(), /publish_denied.*key_as_name_without_rename/);
    assert.doesNotMatch(app.output(), new RegExp(key), 'the app never logs the key');
  });

  it('<slug>?key=<key>: accepted under the slug, HLS written as <slug>.m3u8 (no key in any file name)', async () => {
    const { channel, key, slug } = await channelWithKey();
    const ffmpeg = publishTestPattern({ url: `${nginx.rtmpUrl}/${slug}?key=${key}`, durationSeconds: 5, audio: false });
    try {
      await waitFor('the channel to go live', () => isLive(channel.id));
      const files = await waitFor('the HLS playlist', async () => {
        const names = await readdir(nginx.hlsDir);
        return names.includes(`${slug}.m3u8`) ? names : null;
      });
      assert.ok(files.every((name) => !name.includes(key)), files.join(', '));
      assert.equal(await ffmpeg.exited(), 0, ffmpeg.output());
    } finally {
      await ffmpeg.stop();
    }
    await waitFor('publish_done to mark the channel offline', async () => !(await isLive(channel.id)));
  });

  it('bad key: refused, ffmpeg exits non-zero, nothing recorded', async () => {
    const sessionsBefore = await db.streamSession.count();
    const { slug } = await channelWithKey();
    const ffmpeg = publishTestPattern({ url: `${nginx.rtmpUrl}/${slug}?key=live_${'x'.repeat(27)}`, durationSeconds: 5, audio: false });
    const code = await Promise.race([ffmpeg.exited(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    await ffmpeg.stop();
    assert.notEqual(code, 'timeout', 'ffmpeg was not dropped');
    assert.notEqual(code, 0, ffmpeg.output());
    assert.equal(await db.streamSession.count(), sessionsBefore);
    assert.match(app.output(), /"event":"publish_denied","reason":"unknown_key"/);
  });

  it('a second publisher with a key already live is refused, the first keeps streaming', async () => {
    const { channel, key, slug } = await channelWithKey();
    const first = publishTestPattern({ url: `${nginx.rtmpUrl}/${slug}?key=${key}`, durationSeconds: 8, audio: false });
    try {
      await waitFor('the channel to go live', () => isLive(channel.id));
      const second = publishTestPattern({ url: `${nginx.rtmpUrl}/${slug}?key=${key}`, durationSeconds: 3, audio: false });
      const code = await Promise.race([second.exited(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
      await second.stop();
      assert.notEqual(code, 0);
      assert.notEqual(code, 'timeout');
      assert.equal(await isLive(channel.id), true);
      assert.equal(await first.exited(), 0, first.output());
    } finally {
      await first.stop();
    }
    await waitFor('offline after the first publisher ends', async () => !(await isLive(channel.id)));
    assert.equal(await db.streamSession.count({ where: { channelId: channel.id } }), 1);
  });

  it('the dashboard\'s Stream setup panel (MEDIA_SERVER=nginx-rtmp) shows exactly what works: server + <slug>?key=<secret>', async () => {
    const browser = await launchBrowser();
    let serverUrl = '';
    let toPaste = '';
    try {
      const page = browser.page;
      await page.goto(`${app.url}/signup`);
      await page.locator('#field-username').fill('obs_user');
      await page.locator('#field-password').fill('obs password 1');
      await page.locator('#field-confirmPassword').fill('obs password 1');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(`${app.url}/dashboard`);
      await page.getByRole('button', { name: 'Create stream key' }).click();
      const key = (await page.getByTestId('new-stream-key').textContent()) ?? '';
      serverUrl = (await page.getByTestId('server-url').textContent()) ?? '';
      toPaste = (await page.getByTestId('stream-key-to-paste').textContent()) ?? '';
      assert.equal(serverUrl, nginx.rtmpUrl);
      assert.equal(toPaste, `obs_user?key=${key}`);
    } finally {
      await browser.close();
    }
    // OBS publishes to "<Server>/<Stream Key>".
    const channel = await db.channel.findUniqueOrThrow({ where: { slug: 'obs_user' } });
    const ffmpeg = publishTestPattern({ url: `${serverUrl}/${toPaste}`, durationSeconds: 4, audio: false });
    try {
      await waitFor('the channel to go live', () => isLive(channel.id));
      await waitFor('HLS under the slug', async () => (await readdir(nginx.hlsDir)).includes('obs_user.m3u8'));
      assert.equal(await ffmpeg.exited(), 0, ffmpeg.output());
    } finally {
      await ffmpeg.stop();
    }
    await waitFor('offline after publish_done', async () => !(await isLive(channel.id)));
  });
});
