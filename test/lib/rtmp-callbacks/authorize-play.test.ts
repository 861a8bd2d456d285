// on_play / on_play_done through handleCallback (the routes' whole path: `?secret=`, the form, the
// decision, the answer) against a real migrated database, once on SQLite and once on PostgreSQL:
// only a live, enabled channel named by its slug plays; players count as viewers until
// on_play_done or the end of the publish.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../lib/channels/reset-stream-key';
import type { Db } from '../../../lib/db';
import { ViewerPresence } from '../../../lib/live/presence';
import { RtmpPlayers } from '../../../lib/live/rtmp-players';
import { handleCallback, type CallbackContext } from '../../../lib/rtmp-callbacks/handle-callback';
import { dateClock, manualClock } from '../../helpers/clock';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';
import { recordingLogger } from '../../helpers/logger';

const SECRET = 'callback-secret';

/** The form nginx-rtmp (and the bundled media server) posts for on_play / on_play_done. */
function playForm(call: 'play' | 'play_done', name: string, clientid: string, addr = '127.0.0.1'): string {
  const base = `app=live&flashver=LNX%209,0,124,2&swfurl=&tcurl=rtmp://127.0.0.1:1935/live&pageurl=&addr=${addr}&clientid=${clientid}&call=${call}&name=${name}`;
  return call === 'play' ? `${base}&start=4294965296&duration=0&reset=0` : base;
}

function publishForm(call: 'publish' | 'publish_done', key: string, clientid: string): string {
  return `app=live&flashver=FMLE/3.0%20(compatible%3B%20Lavf59.27&swfurl=&tcurl=rtmp://127.0.0.1:1935/live&pageurl=&addr=127.0.0.1&clientid=${clientid}&call=${call}&name=${key}${call === 'publish' ? '&type=live' : ''}`;
}

const post = (context: CallbackContext, body: string) =>
  handleCallback(new Request(`http://web/api/rtmp/on-play?secret=${SECRET}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }), context);

for (const kind of DATABASE_KINDS) {
  describe(`RTMP play authorization on ${kind}`, { timeout: 180_000 }, () => {
    let testDb: OpenTestDb;
    let db: Db;
    const clock = new Date('2026-12-04T10:00:00Z');
    const logger = recordingLogger();
    let presence: ViewerPresence;
    let players: RtmpPlayers;
    let presenceClock = manualClock();
    const context = (): CallbackContext => ({ db, clock: dateClock(() => clock), logger, callbackSecret: SECRET, players });
    let counter = 0;
    let clientId = 100;
    async function liveChannel() {
      const username = `play_${++counter}`;
      const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
      const { key } = await resetStreamKey(db, user.id, dateClock(() => clock));
      const publisher = String(++clientId);
      assert.equal((await post(context(), publishForm('publish', key, publisher))).status, 302);
      return { user, channel, key, slug: username, publisher };
    }

    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
    });
    after(async () => {
      await testDb?.close();
    });
    const fresh = () => {
      presenceClock = manualClock();
      presence = new ViewerPresence({ clock: presenceClock, perAddress: 3 });
      players = new RtmpPlayers({ presence, maxPlayers: 5 });
    };

    it('a live channel by its slug plays and counts as a viewer until on_play_done', async () => {
      fresh();
      const { channel, slug } = await liveChannel();
      assert.equal((await post(context(), playForm('play', slug, '7'))).status, 200);
      assert.equal(presence.count(channel.id), 1);
      // A repeated on_play for the same connection counts once.
      assert.equal((await post(context(), playForm('play', slug, '7'))).status, 200);
      assert.equal(presence.count(channel.id), 1);
      // No heartbeat, no lease: the watch page's 60 s sweep leaves an RTMP player alone.
      presenceClock.advance(10 * 60_000);
      assert.equal(presence.sweep(), 0);
      assert.equal(presence.count(channel.id), 1);
      assert.equal((await post(context(), playForm('play_done', slug, '7'))).status, 200);
      assert.equal(presence.count(channel.id), 0);
    });

    it('refuses the stream key as the name and never logs it', async () => {
      fresh();
      const { key } = await liveChannel();
      const answer = await post(context(), playForm('play', key, '8'));
      assert.equal(answer.status, 403);
      assert.equal(answer.body, 'play a channel by its name, never by a stream key\n');
      assert.ok(!logger.text().includes(key));
      assert.equal(players.size, 0);
    });

    it('refuses a disabled channel, a disabled owner, a channel that is not live, an unknown name and a non-slug', async () => {
      fresh();
      const disabled = await liveChannel();
      await db.channel.update({ where: { id: disabled.channel.id }, data: { disabled: true } });
      const ownerDisabled = await liveChannel();
      await db.user.update({ where: { id: ownerDisabled.user.id }, data: { disabledAt: clock } });
      const offline = `offline_${++counter}`;
      await createUserWithChannel(db, { username: offline, passwordHash: null });
      const cases: Array<[string, string]> = [
        [disabled.slug, 'channel_disabled'],
        [ownerDisabled.slug, 'owner_disabled'],
        [offline, 'not_live'],
        ['nobody_here', 'unknown_channel'],
        ['..%2Fetc', 'not_a_slug'],
      ];
      for (const [name, code] of cases) {
        const answer = await post(context(), playForm('play', name, '9'));
        assert.equal(answer.status, 403, name);
        assert.equal(logger.lines.at(-1)?.fields.reason, code, name);
      }
      assert.equal(players.size, 0);
    });

    it('counts at most 3 players per address, holds at most maxPlayers, and drops a channel\'s players when its publish ends', async () => {
      fresh();
      const { channel, slug, key, publisher } = await liveChannel();
      for (const id of ['21', '22', '23', '24']) assert.equal((await post(context(), playForm('play', slug, id))).status, 200);
      assert.equal(presence.count(channel.id), 3);
      assert.equal((await post(context(), playForm('play', slug, '25', '10.0.0.9'))).status, 200);
      assert.equal(presence.count(channel.id), 4);
      const full = await post(context(), playForm('play', slug, '26', '10.0.0.10'));
      assert.equal(full.status, 403);
      assert.equal(presence.count(channel.id), 4);
      assert.equal((await post(context(), publishForm('publish_done', key, publisher))).status, 200);
      assert.equal(presence.count(channel.id), 0);
      assert.equal(players.size, 0);
    });

    it('refuses without the callback secret', async () => {
      fresh();
      const { slug } = await liveChannel();
      const answer = await handleCallback(new Request('http://web/api/rtmp/on-play', { method: 'POST', body: playForm('play', slug, '30') }), context());
      assert.equal(answer.status, 403);
      assert.equal(players.size, 0);
    });
  });
}
