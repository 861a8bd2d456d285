// The same CRUD and constraint checks against SQLite and against a real PostgreSQL 15 server
// (a throwaway cluster this test starts), through lib/db.ts exactly as the app uses it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Prisma, createDb, getDb } from '../../lib/db';
import type { Db } from '../../lib/db';
import { DATABASE_KINDS, openTestDb } from '../helpers/database';
import type { OpenTestDb } from '../helpers/database';

/** Asserts a Prisma unique-constraint violation (P2002), whichever provider raised it. */
async function rejectsUnique(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof Prisma.PrismaClientKnownRequestError, `expected a Prisma known error, got ${String(error)}`);
    assert.equal(error.code, 'P2002');
    return true;
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`data layer on ${kind}`, () => {
    let testDb: OpenTestDb;
    let db: Db;

    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
    });

    after(async () => {
      await testDb?.close();
    });

    it('creates a user with a channel and reads it back through the relation', async () => {
      const user = await db.user.create({
        data: { username: 'alice', displayName: 'Alice', channel: { create: { slug: 'alice', title: 'Alice live' } } },
        include: { channel: true },
      });
      assert.equal(user.username, 'alice');
      assert.ok(user.channel);
      assert.equal(user.channel.slug, 'alice');
      assert.equal(user.channel.description, '');
      assert.equal(user.channel.isLive, false);
      assert.equal(user.channel.disabled, false);
      assert.ok(user.createdAt instanceof Date);

      const channel = await db.channel.findUniqueOrThrow({ where: { slug: 'alice' }, include: { user: true } });
      assert.equal(channel.user.id, user.id);
      assert.equal(channel.user.passwordHash, null);
    });

    it('rejects a second user with the same username', async () => {
      await db.user.create({ data: { username: 'bob' } });
      await rejectsUnique(db.user.create({ data: { username: 'bob' } }));
      assert.equal(await db.user.count({ where: { username: 'bob' } }), 1);
    });

    it('rejects a second channel with the same slug, and a second channel per user', async () => {
      const carol = await db.user.create({ data: { username: 'carol', channel: { create: { slug: 'carol', title: 'c' } } } });
      const dave = await db.user.create({ data: { username: 'dave' } });
      await rejectsUnique(db.channel.create({ data: { userId: dave.id, slug: 'carol', title: 'taken' } }));
      await rejectsUnique(db.channel.create({ data: { userId: carol.id, slug: 'carol2', title: 'second' } }));
      const created = await db.channel.create({ data: { userId: dave.id, slug: 'dave', title: 'd' } });
      assert.equal(created.slug, 'dave');
    });

    it('rejects a stream key hash that another channel already has', async () => {
      const hash = 'a'.repeat(64);
      await db.user.create({ data: { username: 'erin', channel: { create: { slug: 'erin', title: 'e', streamKeyHash: hash, streamKeyLast4: 'aaaa' } } } });
      const frank = await db.user.create({ data: { username: 'frank', channel: { create: { slug: 'frank', title: 'f' } } } });
      await rejectsUnique(db.channel.update({ where: { userId: frank.id }, data: { streamKeyHash: hash } }));
      const found = await db.channel.findUnique({ where: { streamKeyHash: hash }, select: { slug: true } });
      assert.deepEqual(found, { slug: 'erin' });
    });

    it('records stream sessions on a channel and finds the open one', async () => {
      const user = await db.user.create({ data: { username: 'gina', channel: { create: { slug: 'gina', title: 'g' } } }, include: { channel: true } });
      assert.ok(user.channel);
      const channelId = user.channel.id;
      const first = await db.streamSession.create({
        data: { channelId, startedAt: new Date('2026-01-01T10:00:00Z'), clientId: '7', app: 'live', streamName: 'gina', publisherSoftware: 'FMLE/3.0 (compatible; Lavf59.27' },
      });
      await db.streamSession.update({ where: { id: first.id }, data: { endedAt: new Date('2026-01-01T11:00:00Z'), endReason: 'publish_done' } });
      const second = await db.streamSession.create({ data: { channelId, startedAt: new Date('2026-01-02T10:00:00Z'), publisherAddr: '127.0.0.1' } });
      await db.channel.update({ where: { id: channelId }, data: { isLive: true, liveSince: second.startedAt } });

      const channel = await db.channel.findUniqueOrThrow({
        where: { id: channelId },
        include: { sessions: { orderBy: { startedAt: 'desc' } } },
      });
      assert.deepEqual(channel.sessions.map((s) => s.id), [second.id, first.id]);
      assert.equal(channel.sessions[1]?.endReason, 'publish_done');
      assert.equal(channel.sessions[1]?.endedAt?.toISOString(), '2026-01-01T11:00:00.000Z');
      assert.equal(channel.sessions[0]?.peakViewers, 0);
      assert.equal(channel.liveSince?.toISOString(), '2026-01-02T10:00:00.000Z');

      const open = await db.streamSession.findMany({ where: { channelId, endedAt: null } });
      assert.deepEqual(open.map((s) => s.id), [second.id]);
      const live = await db.channel.findMany({ where: { isLive: true }, select: { slug: true } });
      assert.deepEqual(live, [{ slug: 'gina' }]);
    });

    it('refuses a stream session for a channel that does not exist (foreign key)', async () => {
      await assert.rejects(db.streamSession.create({ data: { channelId: 'no-such-channel' } }), (error: unknown) => {
        assert.ok(error instanceof Prisma.PrismaClientKnownRequestError);
        assert.equal(error.code, 'P2003');
        return true;
      });
    });

    it('deleting a user deletes its accounts, channel and stream sessions (cascade)', async () => {
      const user = await db.user.create({
        data: {
          username: 'hank',
          accounts: { create: { provider: 'github', providerAccountId: '42' } },
          channel: { create: { slug: 'hank', title: 'h', sessions: { create: [{}, { endedAt: new Date() }] } } },
        },
        include: { channel: true },
      });
      assert.ok(user.channel);
      assert.equal(await db.streamSession.count({ where: { channelId: user.channel.id } }), 2);
      await db.user.delete({ where: { id: user.id } });
      assert.equal(await db.channel.count({ where: { id: user.channel.id } }), 0);
      assert.equal(await db.streamSession.count({ where: { channelId: user.channel.id } }), 0);
      assert.equal(await db.account.count({ where: { userId: user.id } }), 0);
      // Other users' rows are untouched.
      assert.equal(await db.channel.count({ where: { slug: 'alice' } }), 1);
    });

    it('rolls back an interactive transaction that fails half way', async () => {
      await assert.rejects(
        db.$transaction(async (tx) => {
          await tx.user.create({ data: { username: 'ivan' } });
          await tx.user.create({ data: { username: 'ivan' } });
        }),
        (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002',
      );
      assert.equal(await db.user.count({ where: { username: 'ivan' } }), 0);
    });

    it('getDb() returns one shared client per DATABASE_URL, and a new one when it changes', async () => {
      const previous = process.env.DATABASE_URL;
      process.env.DATABASE_URL = testDb.url;
      const opened: Db[] = [];
      try {
        const shared = getDb();
        opened.push(shared);
        assert.equal(getDb(), shared);
        assert.equal(await shared.user.count({ where: { username: 'alice' } }), 1);
        process.env.DATABASE_URL = `${testDb.url}${testDb.url.includes('?') ? '&' : '?'}application_name=onair_test`;
        const other = getDb();
        opened.push(other);
        assert.notEqual(other, shared);
        assert.equal(getDb(), other);
        assert.equal(await other.channel.count({ where: { slug: 'alice' } }), 1);
      } finally {
        if (previous === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = previous;
        for (const db of opened) await db.$disconnect();
      }
    });
  });
}

describe('createDb', () => {
  it('refuses a URL of an unsupported database without echoing it', () => {
    assert.throws(() => createDb('mysql://root:secret@localhost/onair'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /must start with file: .* postgres/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });
});
