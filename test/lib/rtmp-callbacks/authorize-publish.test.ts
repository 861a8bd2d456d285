// authorizePublish / endPublish / reconcileLiveChannels against a real migrated database, once on
// SQLite and once on PostgreSQL 15 (a throwaway cluster started by the test helpers).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../lib/channels/reset-stream-key';
import type { Db } from '../../../lib/db';
import { authorizePublish, type AuthorizeDeps } from '../../../lib/rtmp-callbacks/authorize-publish';
import { endPublish } from '../../../lib/rtmp-callbacks/end-publish';
import { parseNginxRtmpForm } from '../../../lib/rtmp-callbacks/parse-nginx-rtmp';
import { reconcileLiveChannels } from '../../../lib/rtmp-callbacks/reconcile';
import type { PublishCallback } from '../../../lib/rtmp-callbacks/types';
import { dateClock } from '../../helpers/clock';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';
import { recordingLogger } from '../../helpers/logger';
import { endStreamUnreachable } from '../../helpers/moderation';
import { loadCapturedCallbacks } from '../../helpers/nginx-rtmp-fixtures';

const captured = loadCapturedCallbacks();
/** A real captured callback body (#1 publish, #2 publish_done) with some fields replaced. */
function fromCapture(n: 1 | 2, fields: Record<string, string>, args: Record<string, string> = {}): PublishCallback {
  const base = captured.find((c) => c.n === n);
  if (!base) throw new Error(`no capture #${n}`);
  const form = new URLSearchParams(base.body);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const [k, v] of Object.entries(args)) form.append(k, v);
  return parseNginxRtmpForm(form.toString());
}
const publish = (name: string, clientid: string, args: Record<string, string> = {}, addr = '127.0.0.1') =>
  fromCapture(1, { name, clientid, addr }, args);
const publishDone = (name: string, clientid: string, args: Record<string, string> = {}, addr = '127.0.0.1') =>
  fromCapture(2, { name, clientid, addr }, args);

for (const kind of DATABASE_KINDS) {
  describe(`publish authorization on ${kind}`, { timeout: 180_000 }, () => {
    let testDb: OpenTestDb;
    let db: Db;
    let clock = new Date('2026-11-24T10:00:00Z');
    const logger = recordingLogger();
    const deps = (extra: Partial<AuthorizeDeps> = {}): AuthorizeDeps => ({ db, clock: dateClock(() => clock), logger, ...extra });
    let counter = 0;
    async function channelWithKey(prefix = 'chan') {
      const username = `${prefix}_${++counter}`;
      const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
      const { key } = await resetStreamKey(db, user.id, dateClock(() => clock));
      return { user, channel, key, slug: username };
    }
    const liveState = (id: string) => db.channel.findUniqueOrThrow({ where: { id }, select: { isLive: true, liveSince: true } });

    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
    });
    after(async () => {
      await testDb?.close();
    });

    it('form (a): key as name -> allowed, renamed to the slug, session recorded', async () => {
      const { channel, key, slug } = await channelWithKey();
      const decision = await authorizePublish(deps(), publish(key, '11'));
      assert.deepEqual({ ...decision, sessionId: undefined }, { allow: true, form: 'key-as-name', name: slug, channelId: channel.id, sessionId: undefined });
      assert.ok(decision.allow);
      const session = await db.streamSession.findUniqueOrThrow({ where: { id: decision.sessionId } });
      assert.equal(session.channelId, channel.id);
      assert.equal(session.publisherAddr, '127.0.0.1');
      assert.equal(session.publisherSoftware, 'FMLE/3.0 (compatible; Lavf59.27');
      assert.equal(session.clientId, '11');
      assert.equal(session.app, 'live');
      assert.equal(session.streamName, slug, 'the key itself is never stored');
      assert.equal(session.endedAt, null);
      assert.deepEqual(await liveState(channel.id), { isLive: true, liveSince: clock });

      const again = await authorizePublish(deps(), publish(key, '12'));
      assert.deepEqual(again, { allow: false, reason: 'channel is already live', code: 'already_live' });

      // publish_done carries the ORIGINAL name (the key): found by its hash + clientid + addr.
      const done = await endPublish(deps(), publishDone(key, '11'));
      assert.equal(done.sessionId, decision.sessionId);
      const closed = await db.streamSession.findUniqueOrThrow({ where: { id: decision.sessionId } });
      assert.equal(closed.endReason, 'publish_done');
      assert.deepEqual(await liveState(channel.id), { isLive: false, liveSince: null });
    });

    it('form (b): <slug>?key=<key> -> allowed without rename; wrong slug refused', async () => {
      const { channel, key, slug } = await channelWithKey();
      const other = await channelWithKey();
      const wrong = await authorizePublish(deps(), publish(other.slug, '20', { key }));
      assert.deepEqual(wrong, { allow: false, reason: 'stream key does not belong to this channel', code: 'wrong_channel' });
      // What is accepted is what plays: the media server publishes under the name as sent.
      const upper = await authorizePublish(deps(), publish(slug.toUpperCase(), '22', { key }));
      assert.equal(!upper.allow && upper.code, 'name_not_lowercase');
      const decision = await authorizePublish(deps(), publish(slug, '21', { key, token: 'x' }));
      assert.ok(decision.allow);
      assert.equal(decision.form, 'key-arg');
      const done = await endPublish(deps(), publishDone(slug, '21', { key, token: 'x' }));
      assert.equal(done.sessionId, decision.sessionId);
      assert.equal((await liveState(channel.id)).isLive, false);
    });

    const refusals: Array<{ name: string; callback: () => PublishCallback; reason: string }> = [
      { name: 'an empty name', callback: () => publish('', '30'), reason: 'missing_key' },
      { name: 'a channel slug without key', callback: () => publish('good', '31'), reason: 'malformed_key' },
      { name: 'the captured "bad" name', callback: () => publish('bad', '32'), reason: 'malformed_key' },
      { name: 'a well-formed but unknown key', callback: () => publish(`live_${'Q'.repeat(27)}`, '33'), reason: 'unknown_key' },
      { name: 'an empty key argument', callback: () => publish('good', '34', { key: '' }), reason: 'missing_key' },
      { name: 'a key argument that is not a key', callback: () => publish('good', '35', { key: "' OR 1=1 --" }), reason: 'malformed_key' },
    ];
    for (const { name, callback, reason } of refusals) {
      it(`refuses ${name} (${reason}) and changes nothing`, async () => {
        const before = await db.streamSession.count();
        const decision = await authorizePublish(deps(), callback());
        assert.equal(decision.allow, false);
        assert.equal(!decision.allow && decision.code, reason);
        assert.equal(await db.streamSession.count(), before);
      });
    }

    it('a reset key stops working at once; the running session still closes by clientid + addr', async () => {
      const { user, channel, key } = await channelWithKey();
      const decision = await authorizePublish(deps(), publish(key, '40', {}, '10.1.1.1'));
      assert.ok(decision.allow);
      // A media server that cannot be reached: the session stays open until publish_done arrives.
      const { key: newKey } = await resetStreamKey(db, user.id, dateClock(() => clock), undefined, await endStreamUnreachable());
      assert.deepEqual(await authorizePublish(deps(), publish(key, '41')), {
        allow: false,
        reason: 'unknown or reset stream key',
        code: 'unknown_key',
      });
      const done = await endPublish(deps(), publishDone(key, '40', {}, '10.1.1.1'));
      assert.equal(done.sessionId, decision.sessionId);
      assert.equal((await liveState(channel.id)).isLive, false);
      assert.ok((await authorizePublish(deps(), publish(newKey, '42'))).allow);
      await endPublish(deps(), publishDone(newKey, '42'));
    });

    it('a late done from an older connection does not end the current stream', async () => {
      const { channel, key } = await channelWithKey();
      const decision = await authorizePublish(deps(), publish(key, '50'));
      assert.ok(decision.allow);
      const stale = await endPublish(deps(), publishDone(key, '49'));
      assert.equal(stale.sessionId, null);
      assert.equal((await liveState(channel.id)).isLive, true);
      const otherAddr = await endPublish(deps(), publishDone(key, '50', {}, '192.0.2.1'));
      assert.equal(otherAddr.sessionId, null);
      assert.equal((await endPublish(deps(), publishDone(key, '50'))).sessionId, decision.sessionId);
    });

    it('a disabled channel is refused', async () => {
      const { channel, key } = await channelWithKey();
      await db.channel.update({ where: { id: channel.id }, data: { disabled: true } });
      const decision = await authorizePublish(deps(), publish(key, '60'));
      assert.equal(!decision.allow && decision.code, 'channel_disabled');
    });

    it('already live: the media server list decides whether the old session is stale', async () => {
      const { channel, key, slug } = await channelWithKey();
      const first = await authorizePublish(deps(), publish(key, '70'));
      assert.ok(first.allow);
      const asked: string[][] = [];
      const stillLive = await authorizePublish(deps({ isStreamLive: async (_app, names) => (asked.push([...names]), true) }), publish(key, '71'));
      assert.equal(!stillLive.allow && stillLive.code, 'already_live');
      assert.deepEqual(asked, [[slug]]);
      const unknown = await authorizePublish(deps({ isStreamLive: async () => null }), publish(key, '72'));
      assert.equal(!unknown.allow && unknown.code, 'already_live');
      const gone = await authorizePublish(deps({ isStreamLive: async () => false }), publish(key, '73'));
      assert.ok(gone.allow, 'the lost publish_done no longer blocks the channel');
      const old = await db.streamSession.findUniqueOrThrow({ where: { id: first.sessionId } });
      assert.equal(old.endReason, 'reconciled');
      await endPublish(deps(), publishDone(key, '73'));
      assert.equal((await liveState(channel.id)).isLive, false);
    });

    it('simultaneous publishes with one key: exactly one wins', async () => {
      const { key } = await channelWithKey();
      const decisions = await Promise.all(Array.from({ length: 8 }, (_, i) => authorizePublish(deps(), publish(key, String(100 + i)))));
      assert.equal(decisions.filter((d) => d.allow).length, 1);
      assert.equal(decisions.filter((d) => !d.allow && d.code === 'already_live').length, 7);
      const winner = decisions.find((d) => d.allow);
      assert.ok(winner?.allow);
      const clientId = (await db.streamSession.findUniqueOrThrow({ where: { id: winner.sessionId } })).clientId;
      await endPublish(deps(), publishDone(key, clientId));
    });

    it('reconciles against the live stream list, with a grace period for fresh sessions', async () => {
      await db.streamSession.updateMany({ where: { endedAt: null }, data: { endedAt: clock, endReason: 'test_cleanup' } });
      await db.channel.updateMany({ data: { isLive: false } });
      const listed = await channelWithKey('listed');
      const unlisted = await channelWithKey('unlisted');
      const fresh = await channelWithKey('fresh');
      assert.ok((await authorizePublish(deps(), publish(listed.key, '80'))).allow);
      assert.ok((await authorizePublish(deps(), publish(unlisted.key, '81'))).allow);
      clock = new Date(clock.getTime() + 60_000);
      assert.ok((await authorizePublish(deps(), publish(fresh.key, '82'))).allow);
      // A channel marked live with no session at all (older drift) is set offline too.
      const drifted = await channelWithKey('drift');
      await db.channel.update({ where: { id: drifted.channel.id }, data: { isLive: true } });
      const result = await reconcileLiveChannels({ db, clock: dateClock(() => clock), logger, liveStreams: [{ app: 'live', name: listed.slug }] });
      assert.deepEqual(result, { closedSessions: 1, channelsSetOffline: 2 });
      assert.equal((await liveState(listed.channel.id)).isLive, true);
      assert.equal((await liveState(unlisted.channel.id)).isLive, false);
      assert.equal((await liveState(fresh.channel.id)).isLive, true, 'within the grace period');
      assert.equal((await liveState(drifted.channel.id)).isLive, false);

      // Without a list (nginx-rtmp): only by age.
      clock = new Date(clock.getTime() + 3600_000);
      assert.deepEqual(await reconcileLiveChannels({ db, clock: dateClock(() => clock), logger, liveStreams: null }), { closedSessions: 0, channelsSetOffline: 0 });
      clock = new Date(clock.getTime() + 24 * 3600_000);
      assert.deepEqual(await reconcileLiveChannels({ db, clock: dateClock(() => clock), logger, liveStreams: null }), { closedSessions: 2, channelsSetOffline: 2 });
    });

    it('never logs a stream key', async () => {
      const keys = await db.channel.count();
      assert.ok(keys > 0);
      const log = logger.text();
      assert.doesNotMatch(log, /live_[A-Za-z0-9_-]{27}/);
      assert.match(log, /"event":"publish_allowed"/);
      assert.match(log, /"event":"publish_denied"/);
    });
  });
}
