// Key reset, kick and lift against REAL nginx-rtmp, end to end: Debian nginx + libnginx-mod-rtmp
// running the SHIPPED media-server/nginx/nginx.conf (envsubst, random loopback ports: on_update,
// relay, loopback-only rtmp_control server), the real web app (next start, MEDIA_SERVER=nginx-rtmp)
// answering its callbacks, ffmpeg publishing, and lib/moderation called in-process against nginx's
// control URL. Then the second line of defence: a kick that cannot reach nginx is still enforced by
// on_update (test/helpers/nginx-rtmp.ts with a 2 s notify_update_timeout).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../lib/db';
import { endLiveStream } from '../../lib/moderation/end-live-stream';
import { kickChannel } from '../../lib/moderation/kick-channel';
import { liftPublishBlock } from '../../lib/moderation/lift-publish-block';
import { setChannelDisabled } from '../../lib/moderation/set-channel-disabled';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { testModerationDeps, unreachableModerationDeps } from '../helpers/moderation';
import { startNginxRtmp, type NginxRtmp } from '../helpers/nginx-rtmp';
import { waitFor } from '../helpers/wait-for';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { renderShippedNginxConf } from '../helpers/shipped-nginx-conf';

/** "Ends the running stream within 2 s" (issue 14): one HTTP call to nginx, then nginx closes the connection. */
const ENDS_WITHIN_MS = 2_000;

/** Resolves with the exit code, or 'running' if the process is still up after `ms`. */
function exitWithin(publisher: ManagedProcess, ms: number): Promise<number | null | 'running'> {
  return Promise.race([publisher.exited(), new Promise<'running'>((r) => setTimeout(() => r('running'), ms))]);
}

async function streamer(db: Db, username: string) {
  const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
  const { key } = await resetStreamKey(db, user.id);
  return { userId: user.id, channelId: channel.id, slug: username, key };
}

describe('moderation with the shipped nginx.conf (real nginx-rtmp, web app, ffmpeg)', { timeout: 10 * 60_000 }, () => {
  let tmp: string;
  let app: WebApp;
  let nginx: ManagedProcess;
  let db: Db;
  let serverUrl: string;
  let controlUrl: string;
  let hlsOrigin: string;
  const publishers: ManagedProcess[] = [];
  const diagnostics = () => `--- web app ---\n${app?.output().slice(-4000) ?? ''}\n--- nginx ---\n${nginx?.output().slice(-2000) ?? ''}`;
  const isLive = async (channelId: string) => (await db.channel.findUniqueOrThrow({ where: { id: channelId } })).isLive;

  function publish(name: string): ManagedProcess {
    const publisher = publishTestPattern({ url: `${serverUrl}/${name}` });
    publishers.push(publisher);
    return publisher;
  }

  /** A publish that nginx must refuse: ffmpeg exits non-zero on its own, quickly. */
  async function assertRefused(name: string, what: string) {
    const publisher = publish(name);
    const code = await exitWithin(publisher, 15_000);
    assert.notEqual(code, 'running', `${what}: still publishing after 15 s\n${diagnostics()}`);
    assert.notEqual(code, 0, what);
  }

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-nginx-moderation-'));
    const [rtmpPort, httpPort, controlPort] = [await freePort(), await freePort(), await freePort()];
    serverUrl = `rtmp://127.0.0.1:${rtmpPort}/live`;
    controlUrl = `http://127.0.0.1:${controlPort}/control`;
    hlsOrigin = `http://127.0.0.1:${httpPort}`;
    app = await startWebApp({
      env: {
        MEDIA_SERVER: 'nginx-rtmp',
        PUBLIC_RTMP_URL: serverUrl,
        PUBLIC_HLS_URL: `http://127.0.0.1:${httpPort}/live`,
        NGINX_RTMP_RELAY_URL: `rtmp://127.0.0.1:${rtmpPort}/onair_hls`,
        NGINX_RTMP_CONTROL_URL: controlUrl,
      },
    });
    db = createDb(app.databaseUrl);
    const rendered = renderShippedNginxConf({
      RTMP_PORT: `127.0.0.1:${rtmpPort}`,
      HTTP_PORT: `127.0.0.1:${httpPort}`,
      HLS_PATH: join(tmp, 'hls'),
      ONAIR_URL: app.url,
      RTMP_CALLBACK_SECRET: app.callbackSecret,
      CONTROL_PORT: `127.0.0.1:${controlPort}`,
      RECORD_PATH: tmp,
    });
    assert.match(rendered, /on_update http:\/\/127\.0\.0\.1:\d+\/api\/rtmp\/on-update\?secret=/);
    const confPath = join(tmp, 'nginx.conf');
    await writeFile(confPath, rendered);
    nginx = startProcess('nginx', ['-c', confPath, '-p', '/usr/share/nginx/', '-g', `pid ${join(tmp, 'nginx.pid')}; error_log ${join(tmp, 'error.log')} info; user root;`]);
    await Promise.race([
      Promise.all([waitForPort(rtmpPort, 20_000), waitForPort(httpPort, 20_000), waitForPort(controlPort, 20_000)]),
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
    await rm(tmp, { recursive: true, force: true });
  });

  it('the control server answers loopback only on its own port; the HLS port has no /control', async () => {
    const drop = await fetch(`${controlUrl}/drop/publisher?app=live&clientid=999999`);
    assert.deepEqual([drop.status, await drop.text()], [200, '0']);
    const outside = await fetch(`${controlUrl.replace(/\/control$/, '')}/`);
    assert.equal(outside.status, 404, 'nothing but /control/ on the control server');
    const viaHls = await fetch(`${hlsOrigin}/control/drop/publisher?app=live`);
    assert.equal(viaHls.status, 404, 'the HLS server (what a reverse proxy fronts) has no control location');
  });

  it('key reset: the stream running with the old key ends within 2 s, and the old key is refused', async () => {
    const alice = await streamer(db, 'ngx_alice');
    const publisher = publish(`${alice.slug}?key=${alice.key}`);
    await waitFor('alice to be live', () => isLive(alice.channelId), 20_000, { output: diagnostics });
    await new Promise((r) => setTimeout(r, 1_000));

    const deps = testModerationDeps({ mediaServer: 'nginx-rtmp', controlUrl });
    const t0 = Date.now();
    const reset = await resetStreamKey(db, alice.userId, undefined, undefined, (d, id) => endLiveStream(d, id, { reason: 'key_reset' }, deps));
    assert.equal(reset.endedLiveStream, true);
    const code = await exitWithin(publisher, ENDS_WITHIN_MS);
    const endedMs = Date.now() - t0;
    assert.notEqual(code, 'running', `ffmpeg still publishing ${ENDS_WITHIN_MS} ms after the key reset\n${diagnostics()}`);
    assert.equal(await isLive(alice.channelId), false, 'offline when resetStreamKey returns');
    console.log(`nginx-rtmp: key reset -> publisher dropped in ${endedMs} ms`);
    const session = await db.streamSession.findFirstOrThrow({ where: { channelId: alice.channelId }, orderBy: { startedAt: 'desc' } });
    assert.equal(session.endReason, 'key_reset');

    await assertRefused(`${alice.slug}?key=${alice.key}`, 'the old key');
    await assertRefused(alice.key, 'the old key as the name');
    assert.equal(await isLive(alice.channelId), false);
  });

  it('kick: ends within 2 s, the immediate re-publish is refused, liftPublishBlock lets it publish again', async () => {
    const bob = await streamer(db, 'ngx_bob');
    // The bare key (relayed under the slug): the public stream's name is the key, so the drop goes by clientid.
    const publisher = publish(bob.key);
    await waitFor('bob to be live', () => isLive(bob.channelId), 20_000, { output: diagnostics });
    await new Promise((r) => setTimeout(r, 1_000));

    const deps = testModerationDeps({ mediaServer: 'nginx-rtmp', controlUrl });
    const t0 = Date.now();
    assert.deepEqual(await kickChannel(db, bob.channelId, {}, deps), { wasLive: true, stopped: true });
    const code = await exitWithin(publisher, ENDS_WITHIN_MS);
    assert.notEqual(code, 'running', `ffmpeg still publishing ${ENDS_WITHIN_MS} ms after the kick\n${diagnostics()}`);
    console.log(`nginx-rtmp: kick -> publisher dropped in ${Date.now() - t0} ms`);
    assert.equal(await isLive(bob.channelId), false);
    const blocked = await db.channel.findUniqueOrThrow({ where: { id: bob.channelId } });
    assert.ok(blocked.publishBlockedUntil !== null && blocked.publishBlockedUntil.getTime() > Date.now() + 4 * 60_000, 'blocked for KICK_BLOCK_MINUTES');

    // nginx's on_publish_done for the dropped publisher arrives either after OnAir closed the
    // session itself or just before (nginx calls it while dropping): both orders happen.
    await waitFor('the publish_done of the kicked publish', async () => /"event":"publish_done_after_stop"|"event":"publish_done","slug":"ngx_bob"/.test(app.output()), 10_000, { output: diagnostics });
    assert.doesNotMatch(app.output(), /publish_done_unmatched/);

    await assertRefused(bob.key, 'the re-publish right after the kick');
    await assertRefused(`${bob.slug}?key=${bob.key}`, 'the re-publish as <slug>?key=');
    assert.match(app.output(), /"event":"publish_denied","reason":"publish_blocked"/);

    await liftPublishBlock(db, bob.channelId);
    publish(bob.key);
    await waitFor('bob to be live again after the block was lifted', () => isLive(bob.channelId), 20_000, { output: diagnostics });
  });

  it('disabling the channel ends its stream and keeps it off', async () => {
    const carol = await streamer(db, 'ngx_carol');
    const publisher = publish(`${carol.slug}?key=${carol.key}`);
    await waitFor('carol to be live', () => isLive(carol.channelId), 20_000, { output: diagnostics });
    await setChannelDisabled(db, carol.channelId, true, testModerationDeps({ mediaServer: 'nginx-rtmp', controlUrl }));
    assert.notEqual(await exitWithin(publisher, ENDS_WITHIN_MS), 'running');
    assert.equal(await isLive(carol.channelId), false);
    await assertRefused(`${carol.slug}?key=${carol.key}`, 'a disabled channel');
  });
});

describe('on_update is the second line: a kick that cannot reach nginx still ends the stream', { timeout: 5 * 60_000 }, () => {
  let app: WebApp;
  let nginx: NginxRtmp;
  let db: Db;
  let publisher: ManagedProcess | undefined;

  before(async () => {
    app = await startWebApp({ env: { MEDIA_SERVER: 'nginx-rtmp', NGINX_RTMP_CONTROL_URL: 'http://127.0.0.1:9/control' } });
    db = createDb(app.databaseUrl);
    nginx = await startNginxRtmp({
      onPublish: app.callbackUrl('on-publish'),
      onPublishDone: app.callbackUrl('on-publish-done'),
      onUpdate: app.callbackUrl('on-update'),
      notifyUpdateTimeout: '2s',
      hls: false,
    });
  });
  after(async () => {
    await publisher?.stop(2_000);
    await nginx?.stop();
    await db?.$disconnect();
    await app?.stop();
  });

  it('on_update answers 403 for the kicked session and nginx drops the publisher at its next update', async () => {
    const dave = await streamer(db, 'ngx_dave');
    publisher = publishTestPattern({ url: `${nginx.rtmpUrl}/${dave.slug}?key=${dave.key}` });
    await waitFor('dave to be live', async () => (await db.channel.findUniqueOrThrow({ where: { id: dave.channelId } })).isLive, 20_000, app);
    // Heard of: on_update keeps lastSeenAt fresh while the publish runs.
    await waitFor('an on_update to refresh lastSeenAt', async () => {
      const s = await db.streamSession.findFirstOrThrow({ where: { channelId: dave.channelId, endedAt: null } });
      return s.lastSeenAt !== null && s.lastSeenAt.getTime() > s.startedAt.getTime();
    }, 10_000);

    const t0 = Date.now();
    assert.deepEqual(await kickChannel(db, dave.channelId, {}, await unreachableModerationDeps()), { wasLive: true, stopped: false });
    const code = await exitWithin(publisher, 6_000);
    assert.notEqual(code, 'running', `not dropped within 6 s (notify_update_timeout 2s)\n${app.output().slice(-3000)}`);
    console.log(`nginx-rtmp: kick without the control module -> dropped by on_update in ${Date.now() - t0} ms`);
    assert.match(app.output(), /"event":"update_refused","reason":"publish_blocked"/);
    await waitFor('publish_done to set dave offline', async () => !(await db.channel.findUniqueOrThrow({ where: { id: dave.channelId } })).isLive, 10_000);
  });
});
