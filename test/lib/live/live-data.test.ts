// The hub's Prisma queries against a real migrated database, on both providers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { findChannelBySlug, getChannelBySlugOrThrow } from '../../../lib/channels/get-channel-by-slug';
import { createDb, type Db } from '../../../lib/db';
import { AppError } from '../../../lib/errors';
import { prismaLiveData } from '../../../lib/live/live-data';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../helpers/database';

for (const kind of DATABASE_KINDS) describe(`live data (${kind})`, () => {
  let database: TestDatabase;
  let db: Db;
  const ids: Record<string, string> = {};

  before(async () => {
    database = await createTestDatabase(kind);
    db = createDb(database.url);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      const { channel } = await createUserWithChannel(db, { username: name, passwordHash: null, displayName: name === 'alice' ? 'Alice A.' : null });
      ids[name] = channel.id;
    }
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));
    await db.channel.update({ where: { slug: 'alice' }, data: { isLive: true, liveSince: t(5), lastLiveAt: t(5) } });
    await db.channel.update({ where: { slug: 'bob' }, data: { isLive: true, liveSince: t(1), lastLiveAt: t(1), disabled: true } });
    await db.channel.update({ where: { slug: 'carol' }, data: { lastLiveAt: t(3) } });
    await db.channel.update({ where: { slug: 'dave' }, data: { lastLiveAt: t(4) } });
  });

  after(async () => {
    await db.$disconnect();
    await database.cleanup();
  });

  it('one query: live channels plus the watched ones; disabled channels never count as live', async () => {
    const source = prismaLiveData(db);
    const rows = await source.channels([ids.erin!, ids.bob!]);
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
    assert.deepEqual(Object.keys(bySlug).sort(), ['alice', 'bob', 'erin']);
    assert.equal(bySlug.alice?.isLive, true);
    assert.equal(bySlug.alice?.streamer, 'Alice A.');
    assert.equal(bySlug.bob?.isLive, false, 'disabled');
    assert.equal(bySlug.erin?.streamer, 'erin', 'username when there is no display name');
  });

  it('recently live: offline channels by lastLiveAt, newest first', async () => {
    const rows = await prismaLiveData(db).recentlyLive(10);
    assert.deepEqual(rows.map((r) => r.slug), ['dave', 'carol']);
    assert.deepEqual((await prismaLiveData(db).recentlyLive(1)).map((r) => r.slug), ['dave']);
  });

  it('raises the open session peak, never lowers it, and leaves closed sessions alone', async () => {
    const closed = await db.streamSession.create({ data: { channelId: ids.alice!, endedAt: new Date(), peakViewers: 1 } });
    const open = await db.streamSession.create({ data: { channelId: ids.alice!, peakViewers: 0 } });
    const source = prismaLiveData(db);
    await source.recordPeak(ids.alice!, 4);
    await source.recordPeak(ids.alice!, 2);
    assert.equal((await db.streamSession.findUniqueOrThrow({ where: { id: open.id } })).peakViewers, 4);
    assert.equal((await db.streamSession.findUniqueOrThrow({ where: { id: closed.id } })).peakViewers, 1);
  });

  it('finds a channel by slug; unknown and disabled ones are not found', async () => {
    assert.equal((await findChannelBySlug(db, 'alice'))?.id, ids.alice);
    assert.equal(await findChannelBySlug(db, 'nobody'), null);
    assert.equal(await findChannelBySlug(db, 'bob'), null);
    assert.equal(await findChannelBySlug(db, 'Alice'), null, 'not a slug: no lookup at all');
    await assert.rejects(getChannelBySlugOrThrow(db, 'nobody'), (e: unknown) => e instanceof AppError && e.status === 404);
  });
});
