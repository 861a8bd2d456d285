// Channels left "live" by a lost publish_done or a restart are cleared when the app starts:
// against the bundled media server's /api/streams (here a loopback HTTP server serving that
// JSON), or, with MEDIA_SERVER=nginx-rtmp (no list), by the on_update heartbeat: sessions not heard
// of for 45 s are ended.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../../../lib/db';
import { createTestDatabase, type TestDatabase } from '../../../helpers/database';
import { startWebApp, type WebApp } from '../../../helpers/web-app';

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function liveChannel(db: Db, username: string, startedAt: Date, lastSeenAt: Date | null = null) {
  const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
  const { key } = await resetStreamKey(db, user.id);
  await db.channel.update({ where: { id: channel.id }, data: { isLive: true, liveSince: startedAt } });
  const session = await db.streamSession.create({ data: { channelId: channel.id, startedAt, lastSeenAt, app: 'live', streamName: username, clientId: '1', publisherAddr: '127.0.0.1' } });
  return { channel, key, session };
}

describe('reconcile on start-up', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let mediaServer: Server;
  let listed: string[] = [];
  const apps: WebApp[] = [];

  before(async () => {
    database = await createTestDatabase('sqlite');
    db = createDb(database.url);
    mediaServer = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ streams: listed.map((name) => ({ app: 'live', name, startedAt: new Date().toISOString() })) }));
    });
    await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const app of apps) await app.stop();
    mediaServer.closeAllConnections();
    await new Promise((resolve) => mediaServer.close(resolve));
    await db?.$disconnect();
    await database?.cleanup();
  });

  it('bundled: closes sessions the media server does not list; on_publish asks the list before refusing', async () => {
    const minuteAgo = new Date(Date.now() - 60_000);
    const gone = await liveChannel(db, 'gone_one', minuteAgo);
    const still = await liveChannel(db, 'still_on', minuteAgo);
    listed = ['still_on'];
    const app = await startWebApp({
      databaseUrl: database.url,
      env: { MEDIA_SERVER: 'bundled', MEDIA_SERVER_API_URL: `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/api/streams` },
    });
    apps.push(app);
    await waitFor('gone_one to be set offline', async () => !(await db.channel.findUniqueOrThrow({ where: { id: gone.channel.id } })).isLive);
    assert.equal((await db.streamSession.findUniqueOrThrow({ where: { id: gone.session.id } })).endReason, 'reconciled');
    assert.equal((await db.channel.findUniqueOrThrow({ where: { id: still.channel.id } })).isLive, true);

    const publish = (clientid: string) =>
      fetch(app.callbackUrl('on-publish'), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `app=live&flashver=FMLE/3.0&addr=127.0.0.1&clientid=${clientid}&call=publish&name=${still.key}&type=live`,
      });
    const refused = await publish('2');
    assert.equal(refused.status, 403, 'the list says still_on is being published');
    listed = [];
    const accepted = await publish('3');
    assert.equal(accepted.status, 302, 'the list no longer has it: the old session was stale');
    assert.equal((await db.streamSession.findUniqueOrThrow({ where: { id: still.session.id } })).endReason, 'reconciled');
    // Stopped here: its periodic reconcile against the (now empty) list must not touch the next case.
    await app.stop();
    apps.splice(apps.indexOf(app), 1);
  });

  it('nginx-rtmp: without a list, sessions whose on_update heartbeat stopped are closed; one still heard of stays', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const lost = await liveChannel(db, 'lost_done', hourAgo, new Date(Date.now() - 2 * 60_000));
    const heard = await liveChannel(db, 'heard_of', hourAgo, new Date());
    const app = await startWebApp({ databaseUrl: database.url, env: { MEDIA_SERVER: 'nginx-rtmp' } });
    apps.push(app);
    await waitFor('the silent session to be closed', async () => !(await db.channel.findUniqueOrThrow({ where: { id: lost.channel.id } })).isLive);
    assert.equal((await db.streamSession.findUniqueOrThrow({ where: { id: lost.session.id } })).endReason, 'heartbeat_lost');
    assert.equal((await db.channel.findUniqueOrThrow({ where: { id: heard.channel.id } })).isLive, true);
  });
});
