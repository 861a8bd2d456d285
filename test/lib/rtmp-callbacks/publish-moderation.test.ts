// Moderation on the callback side, against a real migrated database (SQLite and PostgreSQL 15):
// what on_publish refuses (disabled owner, kick cooldown, stream names that would not play), the
// on_update heartbeat (captured nginx-rtmp bodies), and the nginx-mode sweeper on a fake clock.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../lib/channels/reset-stream-key';
import type { Db } from '../../../lib/db';
import { liftPublishBlock } from '../../../lib/moderation/lift-publish-block';
import { authorizePublish, type AuthorizeDeps } from '../../../lib/rtmp-callbacks/authorize-publish';
import { heartbeat } from '../../../lib/rtmp-callbacks/heartbeat';
import { parseNginxRtmpForm } from '../../../lib/rtmp-callbacks/parse-nginx-rtmp';
import { reconcileLiveChannels } from '../../../lib/rtmp-callbacks/reconcile';
import { NGINX_HEARTBEAT_TIMEOUT_MS } from '../../../lib/rtmp-callbacks/reconciler';
import type { PublishCallback } from '../../../lib/rtmp-callbacks/types';
import { dateClock } from '../../helpers/clock';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';
import { silentLogger } from '../../helpers/logger';
import { endStreamUnreachable } from '../../helpers/moderation';
import { loadCapturedCallbacks, type Capture } from '../../helpers/nginx-rtmp-fixtures';

/** A captured nginx-rtmp body with fields replaced; query args (key) re-appended after them, as nginx does. */
function captured(capture: Capture, n: number, fields: Record<string, string>, args: Record<string, string> = {}): PublishCallback {
  const base = loadCapturedCallbacks(capture).find((c) => c.n === n);
  if (!base) throw new Error(`no capture #${n} in ${capture}`);
  const form = new URLSearchParams(base.body);
  form.delete('key');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const [k, v] of Object.entries(args)) form.append(k, v);
  return parseNginxRtmpForm(form.toString());
}
// nginx-rtmp-on-update.txt: #1 publish (good?key=...), #2 update_publish, #5 publish_done.
const publish = (name: string, clientid: string, args: Record<string, string> = {}) => captured('nginx-rtmp-on-update', 1, { name, clientid }, args);
const update = (name: string, clientid: string, args: Record<string, string> = {}) => captured('nginx-rtmp-on-update', 2, { name, clientid }, args);

describe('the captured on_update parses as a heartbeat', () => {
  it('call=update_publish is kind "update"; time and timestamp are not publish arguments', () => {
    const callback = update('good', '1', { key: 'abc123' });
    assert.equal(callback.kind, 'update');
    assert.deepEqual(callback.args, { key: 'abc123' });
    assert.equal(callback.clientId, '1');
  });
});

describe('the shipped nginx configs and the sweeper agree', () => {
  for (const file of ['nginx.conf', 'alfg-nginx-rtmp.snippet.conf']) {
    it(`${file}: on_update on the public app, often enough that one lost update is not a lost stream`, () => {
      const text = readFileSync(new URL(`../../../media-server/nginx/${file}`, import.meta.url), 'utf8');
      assert.match(text, /^\s*on_update \$\{ONAIR_URL\}\/api\/rtmp\/on-update\?secret=\$\{RTMP_CALLBACK_SECRET\};$/m);
      const seconds = Number(/^\s*notify_update_timeout (\d+)s;$/m.exec(text)?.[1]);
      assert.ok(2 * seconds * 1000 < NGINX_HEARTBEAT_TIMEOUT_MS, `two updates (${2 * seconds} s) fit in the ${NGINX_HEARTBEAT_TIMEOUT_MS} ms timeout`);
    });
  }
});

for (const kind of DATABASE_KINDS) {
  describe(`publish moderation on ${kind}`, { timeout: 180_000 }, () => {
    let testDb: OpenTestDb;
    let db: Db;
    let clock = new Date('2026-12-04T10:00:00Z');
    const deps = (): AuthorizeDeps => ({ db, clock: dateClock(() => clock), logger: silentLogger });
    let counter = 0;
    async function channelWithKey() {
      const username = `mod_${++counter}`;
      const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
      const { key } = await resetStreamKey(db, user.id, dateClock(() => clock));
      return { user, channel, key, slug: username };
    }

    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
    });
    after(async () => {
      await testDb?.close();
    });

    it('stream names: exactly the lowercase channel name plays, nothing else is accepted', async () => {
      const { key, slug } = await channelWithKey();
      const table: Array<{ name: string; allowed: boolean; reason?: string }> = [
        { name: slug, allowed: true },
        { name: slug.toUpperCase(), allowed: false, reason: 'name_not_lowercase' },
        { name: `M${slug.slice(1)}`, allowed: false, reason: 'name_not_lowercase' },
        { name: `${slug}x`, allowed: false, reason: 'wrong_channel' },
        { name: `${slug} `, allowed: false, reason: 'wrong_channel' },
        { name: key, allowed: false, reason: 'wrong_channel' },
      ];
      for (const [index, row] of table.entries()) {
        const decision = await authorizePublish(deps(), publish(row.name, `n${index}`, { key }));
        if (row.allowed) {
          assert.ok(decision.allow, `${row.name} allowed`);
          assert.equal(decision.name, row.name, 'the name it plays under is the name it was accepted as');
          await db.streamSession.updateMany({ where: { id: decision.sessionId }, data: { endedAt: clock } });
          await db.channel.updateMany({ where: { slug }, data: { isLive: false } });
        } else {
          assert.equal(decision.allow ? 'allowed' : decision.code, row.reason, JSON.stringify(row.name));
        }
      }
    });

    it('a kicked channel is refused until publishBlockedUntil, or until the block is lifted', async () => {
      const { channel, key, slug } = await channelWithKey();
      await db.channel.update({ where: { id: channel.id }, data: { publishBlockedUntil: new Date(clock.getTime() + 5 * 60_000) } });
      const blocked = await authorizePublish(deps(), publish(slug, 'b1', { key }));
      assert.deepEqual(blocked, { allow: false, reason: 'channel was stopped by an admin; publishing is blocked for a few minutes', code: 'publish_blocked' });
      const bare = await authorizePublish(deps(), publish(key, 'b2'));
      assert.equal(!bare.allow && bare.code, 'publish_blocked');
      assert.equal(await db.streamSession.count({ where: { channelId: channel.id } }), 0);
      // The cooldown ends by itself...
      const saved = clock;
      clock = new Date(saved.getTime() + 5 * 60_000 + 1);
      const later = await authorizePublish(deps(), publish(slug, 'b3', { key }));
      assert.ok(later.allow);
      clock = saved;
      await db.streamSession.updateMany({ where: { channelId: channel.id }, data: { endedAt: clock } });
      await db.channel.update({ where: { id: channel.id }, data: { isLive: false, publishBlockedUntil: new Date(clock.getTime() + 60_000) } });
      // ...or an admin lifts it.
      await liftPublishBlock(db, channel.id);
      assert.ok((await authorizePublish(deps(), publish(slug, 'b4', { key }))).allow);
    });

    it('a disabled owner cannot publish', async () => {
      const { user, key, slug } = await channelWithKey();
      await db.user.update({ where: { id: user.id }, data: { disabledAt: clock } });
      const decision = await authorizePublish(deps(), publish(slug, 'u1', { key }));
      assert.deepEqual(decision, { allow: false, reason: 'account is disabled', code: 'owner_disabled' });
    });

    it('on_update: refreshes lastSeenAt while all is well, refuses once the session is ended, the key reset, the channel blocked or disabled', async () => {
      // The key resets here cannot reach a media server: on_update is what stops those streams.
      const endStream = await endStreamUnreachable();
      const cases: Array<{ name: string; form: 'a' | 'b'; spoil: (c: Awaited<ReturnType<typeof channelWithKey>>, sessionId: string) => Promise<void>; reason: string }> = [
        { name: 'session ended', form: 'b', spoil: async (_c, id) => void (await db.streamSession.update({ where: { id }, data: { endedAt: clock } })), reason: 'no_session' },
        { name: 'key reset (b)', form: 'b', spoil: async (c) => void (await resetStreamKey(db, c.user.id, dateClock(() => clock), undefined, endStream)), reason: 'key_changed' },
        { name: 'key reset (a)', form: 'a', spoil: async (c) => void (await resetStreamKey(db, c.user.id, dateClock(() => clock), undefined, endStream)), reason: 'key_changed' },
        { name: 'kicked', form: 'a', spoil: async (c) => void (await db.channel.update({ where: { id: c.channel.id }, data: { publishBlockedUntil: new Date(clock.getTime() + 60_000) } })), reason: 'publish_blocked' },
        { name: 'channel disabled', form: 'b', spoil: async (c) => void (await db.channel.update({ where: { id: c.channel.id }, data: { disabled: true } })), reason: 'channel_disabled' },
        { name: 'owner disabled', form: 'b', spoil: async (c) => void (await db.user.update({ where: { id: c.user.id }, data: { disabledAt: clock } })), reason: 'owner_disabled' },
      ];
      for (const [index, row] of cases.entries()) {
        const c = await channelWithKey();
        const clientid = `h${index}`;
        const [name, args] = row.form === 'a' ? [c.key, {}] : [c.slug, { key: c.key }];
        const started = clock;
        const decision = await authorizePublish(deps(), publish(name, clientid, args));
        assert.ok(decision.allow, row.name);
        assert.deepEqual(await db.streamSession.findUniqueOrThrow({ where: { id: decision.sessionId }, select: { lastSeenAt: true } }), { lastSeenAt: started });

        clock = new Date(started.getTime() + 20_000);
        assert.deepEqual(await heartbeat(deps(), update(name, clientid, args)), { alive: true, sessionId: decision.sessionId }, row.name);
        assert.deepEqual(await db.streamSession.findUniqueOrThrow({ where: { id: decision.sessionId }, select: { lastSeenAt: true } }), { lastSeenAt: clock });
        // Another connection (another clientid) with the same key is not this session.
        assert.equal((await heartbeat(deps(), update(name, `${clientid}x`, args))).alive, false);

        await row.spoil(c, decision.sessionId);
        const refused = await heartbeat(deps(), update(name, clientid, args));
        assert.equal(refused.alive ? 'alive' : refused.code, row.reason, row.name);
        clock = started;
      }
    });

    it('nginx-mode sweeper (fake clock): a session whose heartbeat stopped is ended, one still heard of stays', async () => {
      const quiet = await channelWithKey();
      const heard = await channelWithKey();
      const t0 = clock;
      const q = await authorizePublish(deps(), publish(quiet.slug, 's1', { key: quiet.key }));
      const h = await authorizePublish(deps(), publish(heard.slug, 's2', { key: heard.key }));
      assert.ok(q.allow && h.allow);
      const sweep = (at: number) => reconcileLiveChannels({ db, clock: { now: () => t0.getTime() + at }, logger: silentLogger, liveStreams: null, heartbeatTimeoutMs: NGINX_HEARTBEAT_TIMEOUT_MS });
      const isLive = async (id: string) => (await db.channel.findUniqueOrThrow({ where: { id } })).isLive;
      // on_update every 20 s for `heard` only; `quiet` lost its on_publish_done right after starting.
      // (Other tests' leftovers in this database may be swept too: only these two channels are asserted.)
      for (const at of [20_000, 40_000]) {
        clock = new Date(t0.getTime() + at);
        assert.ok((await heartbeat(deps(), update(heard.slug, 's2', { key: heard.key }))).alive);
        await sweep(at);
        assert.equal(await isLive(quiet.channel.id), true, `at ${at} ms the quiet one is not stale yet`);
        assert.equal(await isLive(heard.channel.id), true);
      }
      const swept = await sweep(NGINX_HEARTBEAT_TIMEOUT_MS + 1);
      assert.ok(swept.closedSessions >= 1 && swept.channelsSetOffline >= 1);
      assert.equal(await isLive(quiet.channel.id), false);
      assert.equal(await isLive(heard.channel.id), true);
      assert.equal((await db.streamSession.findUniqueOrThrow({ where: { id: q.sessionId } })).endReason, 'heartbeat_lost');
      // The quiet channel may publish again at once.
      clock = new Date(t0.getTime() + 50_000);
      assert.ok((await authorizePublish(deps(), publish(quiet.slug, 's3', { key: quiet.key }))).allow);
      clock = t0;
    });
  });
}
