// POST /api/rtmp/on-update of the REAL app (next start, MEDIA_SERVER=nginx-rtmp), driven by the
// exact bytes nginx-rtmp sent in test/fixtures/nginx-rtmp-on-update.txt (HTTP/1.0 over TCP).
// nginx-rtmp drops a publisher on any non-2xx answer to on_update: that is what is asserted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../../../../lib/db';
import { kickChannel } from '../../../../../lib/moderation/kick-channel';
import { endStreamUnreachable, unreachableModerationDeps } from '../../../../helpers/moderation';
import { rawRequestBytes, rewrittenRequestBytes } from '../../../../helpers/nginx-rtmp-fixtures';
import { sendRawHttp } from '../../../../helpers/raw-http';
import { startWebApp, type WebApp } from '../../../../helpers/web-app';

describe('POST /api/rtmp/on-update (real app, raw captured bytes)', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;
  let counter = 0;
  const target = (endpoint: 'on-publish' | 'on-publish-done' | 'on-update', secret = app.callbackSecret) =>
    `/api/rtmp/${endpoint}?secret=${encodeURIComponent(secret)}`;
  // The capture: publish good?key=abc123 (#1), its first on_update (#2) and publish_done (#5);
  // publish of plain `good` (#6), its on_update (#7) and publish_done (#8).
  const REQUESTS = { b: { publish: 1, update: 2, done: 5 }, a: { publish: 6, update: 7, done: 8 } } as const;
  const send = (n: number, endpoint: 'on-publish' | 'on-publish-done' | 'on-update', fields: Record<string, string>) =>
    sendRawHttp(app.port, rewrittenRequestBytes(n, target(endpoint), fields, {}, 'nginx-rtmp-on-update'));

  async function liveChannel(form: 'a' | 'b') {
    const username = `upd_${++counter}`;
    const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
    const { key } = await resetStreamKey(db, user.id);
    const clientid = String(900 + counter);
    // Form (b) replaces the capture's `key=abc123`; form (a) names the key, with no arguments.
    const fields: Record<string, string> = form === 'a' ? { name: key, clientid } : { name: username, clientid, key };
    const published = await send(REQUESTS[form].publish, 'on-publish', fields);
    // Accepted: relayed to the internal HLS app under the slug (NGINX_RTMP_RELAY_URL).
    assert.equal(published.status, 302, published.body);
    assert.equal(published.headers.get('location'), `rtmp://127.0.0.1:1935/onair_hls/${username}`);
    const session = await db.streamSession.findFirstOrThrow({ where: { channelId: channel.id, endedAt: null } });
    return { user, channel, key, slug: username, fields, session };
  }

  before(async () => {
    // nginx-rtmp mode as media-server/nginx/nginx.conf runs it. Its control URL goes nowhere, so the
    // app's own stream stops cannot reach nginx: on_update is the line under test.
    app = await startWebApp({
      env: { MEDIA_SERVER: 'nginx-rtmp', NGINX_RTMP_RELAY_URL: 'rtmp://127.0.0.1:1935/onair_hls', NGINX_RTMP_CONTROL_URL: 'http://127.0.0.1:9/control' },
    });
    db = createDb(app.databaseUrl);
  });
  after(async () => {
    await db?.$disconnect();
    await app?.stop();
  });

  it('the captured on_update unchanged (no such session here): 403, nginx drops it', async () => {
    const response = await sendRawHttp(app.port, rawRequestBytes(2, target('on-update'), 'nginx-rtmp-on-update'));
    assert.equal(response.status, 403, response.body);
    assert.equal(response.body, 'this publish has been ended\n');
  });

  it('refuses a missing or wrong ?secret= like the other callbacks', async () => {
    const { fields } = await liveChannel('b');
    const wrong = await sendRawHttp(app.port, rewrittenRequestBytes(2, target('on-update', `${app.callbackSecret}x`), fields, {}, 'nginx-rtmp-on-update'));
    assert.deepEqual([wrong.status, wrong.body], [403, 'bad callback secret\n']);
    const missing = await sendRawHttp(app.port, rewrittenRequestBytes(2, '/api/rtmp/on-update', fields, {}, 'nginx-rtmp-on-update'));
    assert.equal(missing.status, 403);
  });

  it('a running publish: 200 and lastSeenAt moves; after a kick: 403, then publish_done closes it', async () => {
    const { channel, fields, session } = await liveChannel('b');
    const before = Date.now();
    const alive = await send(REQUESTS.b.update, 'on-update', fields);
    assert.deepEqual([alive.status, alive.body], [200, 'OK\n']);
    const seen = await db.streamSession.findUniqueOrThrow({ where: { id: session.id } });
    assert.ok(seen.lastSeenAt !== null && seen.lastSeenAt.getTime() >= before - 1000, `lastSeenAt refreshed: ${seen.lastSeenAt?.toISOString()}`);

    // The kick cannot reach nginx here, yet it blocks: the next on_update is refused.
    const result = await kickChannel(db, channel.id, {}, await unreachableModerationDeps());
    assert.deepEqual(result, { wasLive: true, stopped: false });
    const refused = await send(2, 'on-update', fields);
    assert.deepEqual([refused.status, refused.body], [403, 'channel was stopped by an admin\n']);
    assert.match(app.output(), /"event":"update_refused","reason":"publish_blocked"/);

    // nginx then drops the publisher and posts on_publish_done.
    const done = await send(5, 'on-publish-done', fields);
    assert.equal(done.status, 200);
    const closed = await db.streamSession.findUniqueOrThrow({ where: { id: session.id } });
    assert.equal(closed.endReason, 'publish_done');
    assert.equal((await db.channel.findUniqueOrThrow({ where: { id: channel.id } })).isLive, false);
    // And the reconnect OBS makes by itself is refused while the block lasts.
    const again = await send(1, 'on-publish', { ...fields, clientid: `${fields.clientid ?? ""}1` });
    assert.deepEqual([again.status, again.body], [403, 'channel was stopped by an admin; publishing is blocked for a few minutes\n']);
  });

  it('form (a) after a key reset: 403, and no log line carries a key', async () => {
    const { user, key, fields } = await liveChannel('a');
    const alive = await send(REQUESTS.a.update, 'on-update', fields);
    assert.equal(alive.status, 200, alive.body);
    const { key: newKey } = await resetStreamKey(db, user.id, undefined, undefined, await endStreamUnreachable());
    const refused = await send(REQUESTS.a.update, 'on-update', fields);
    assert.deepEqual([refused.status, refused.body], [403, 'the stream key was reset\n']);
    for (const secret of [key, newKey, app.callbackSecret, app.mediaServerApiToken]) assert.ok(!app.output().includes(secret), 'no secret in the log');
  });

  it('a disabled channel: 403', async () => {
    const { channel, fields } = await liveChannel('b');
    await db.channel.update({ where: { id: channel.id }, data: { disabled: true } });
    const refused = await send(2, 'on-update', fields);
    assert.deepEqual([refused.status, refused.body], [403, 'channel is disabled\n']);
  });

  it('a malformed body: 400', async () => {
    const response = await fetch(`${app.url}${target('on-update')}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'app=live&call=update_publish' });
    assert.equal(response.status, 400);
  });
});
