// The embed rule in the database (lib/channels/embed-settings.ts), on SQLite and PostgreSQL 15:
// the migration's default, the owner-only write, and what proxy.ts reads per slug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { findEmbedPolicy, updateEmbedSettings } from '../../../lib/channels/embed-settings';
import type { Db } from '../../../lib/db';
import { embedSettingsSchema } from '../../../lib/validations/embed';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';

for (const kind of DATABASE_KINDS) {
  describe(`embed settings on ${kind}`, { timeout: 180_000 }, () => {
    let testDb: OpenTestDb;
    let db: Db;
    let aliceId: string;
    let bobId: string;

    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
      aliceId = (await createUserWithChannel(db, { username: 'alice', passwordHash: null })).user.id;
      bobId = (await createUserWithChannel(db, { username: 'bob', passwordHash: null })).user.id;
    });
    after(async () => {
      await testDb?.close();
    });

    it('a new channel may be embedded anywhere (the column default)', async () => {
      const row = await db.channel.findUniqueOrThrow({ where: { slug: 'alice' }, select: { embedAllowedOrigins: true } });
      assert.equal(row.embedAllowedOrigins, '*');
      assert.deepEqual(await findEmbedPolicy(db, 'alice'), { kind: 'any' });
    });

    it('stores a list for its owner only, and reads it back as the policy', async () => {
      const input = embedSettingsSchema.parse({ mode: 'list', origins: 'https://Blog.example\nhttp://localhost:8080' });
      assert.equal(await updateEmbedSettings(db, aliceId, input), 'https://blog.example http://localhost:8080');
      assert.deepEqual(await findEmbedPolicy(db, 'alice'), { kind: 'list', origins: ['https://blog.example', 'http://localhost:8080'] });
      assert.deepEqual(await findEmbedPolicy(db, 'bob'), { kind: 'any' }, "bob's channel is untouched");
    });

    it('stores "no site"', async () => {
      await updateEmbedSettings(db, bobId, embedSettingsSchema.parse({ mode: 'none', origins: '' }));
      assert.deepEqual(await findEmbedPolicy(db, 'bob'), { kind: 'none' });
      await updateEmbedSettings(db, bobId, embedSettingsSchema.parse({ mode: 'any', origins: '' }));
      assert.deepEqual(await findEmbedPolicy(db, 'bob'), { kind: 'any' });
    });

    it('an unknown, malformed or disabled channel may be framed by no one', async () => {
      assert.deepEqual(await findEmbedPolicy(db, 'nobody'), { kind: 'none' });
      assert.deepEqual(await findEmbedPolicy(db, '../alice'), { kind: 'none' });
      await db.channel.update({ where: { slug: 'bob' }, data: { disabled: true } });
      assert.deepEqual(await findEmbedPolicy(db, 'bob'), { kind: 'none' });
    });

    it('a user without a channel cannot write one', async () => {
      await assert.rejects(updateEmbedSettings(db, 'no-such-user', embedSettingsSchema.parse({ mode: 'none', origins: '' })));
    });
  });
}
