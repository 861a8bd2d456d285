// GitHub / OIDC: providers appear only when configured; external identities map to one local
// user with a channel (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findOrCreateOAuthUser, usernameBaseFrom } from '../../../lib/accounts/oauth-user';
import { buildAuthOptions, enabledOAuthProviders, sessionCookie } from '../../../lib/auth';
import type { Db } from '../../../lib/db';
import { parseEnv } from '../../../lib/env';
import { usernameSchema } from '../../../lib/validations/auth';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';

describe('auth providers from the environment', () => {
  const ids = (env: Record<string, string>) => buildAuthOptions(parseEnv(env)).providers.map((p) => p.id);
  it('has only username + password by default', () => {
    assert.deepEqual(ids({}), ['credentials']);
    assert.deepEqual(enabledOAuthProviders(parseEnv({})), []);
  });
  it('adds GitHub only when both GITHUB_ID and GITHUB_SECRET are set', () => {
    assert.deepEqual(ids({ GITHUB_ID: 'id' }), ['credentials']);
    assert.deepEqual(ids({ GITHUB_ID: 'id', GITHUB_SECRET: 'secret' }), ['credentials', 'github']);
  });
  it('adds OIDC only when issuer, client id and secret are all set', () => {
    assert.deepEqual(ids({ OIDC_ISSUER: 'https://sso.example', OIDC_CLIENT_ID: 'c' }), ['credentials']);
    const env = { OIDC_ISSUER: 'https://sso.example/', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' };
    assert.deepEqual(ids(env), ['credentials', 'oidc']);
    const oidc = buildAuthOptions(parseEnv(env)).providers.find((p) => p.id === 'oidc');
    assert.equal(oidc && 'wellKnown' in oidc ? oidc.wellKnown : null, 'https://sso.example/.well-known/openid-configuration');
  });
  it('uses JWT sessions and next-auth cookie names (secure prefix on https)', () => {
    assert.equal(buildAuthOptions(parseEnv({})).session?.strategy, 'jwt');
    assert.deepEqual(sessionCookie({ NEXTAUTH_URL: 'http://lan:3000' }), { name: 'next-auth.session-token', secure: false });
    assert.deepEqual(sessionCookie({ NEXTAUTH_URL: 'https://tv.example' }), { name: '__Secure-next-auth.session-token', secure: true });
  });
});

describe('usernames derived from external profiles', () => {
  const cases: Array<[string | null, string]> = [
    ['octocat', 'octocat'],
    ['Jane.Doe', 'jane_doe'],
    ['José Núñez', 'jose_nunez'],
    ['ab', 'user_ab'],
    ['--', 'streamer'],
    [null, 'streamer'],
    ['admin', 'admin_tv'],
    ['x'.repeat(40), 'x'.repeat(25)],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected} (a valid username)`, () => {
      const base = usernameBaseFrom(input);
      assert.equal(base, expected);
      assert.equal(usernameSchema.safeParse(base).success, true);
    });
  }
});

const OPEN = { mode: 'open' } as const;

for (const kind of DATABASE_KINDS) {
  describe(`external identities on ${kind}`, { timeout: 180_000 }, () => {
    let testDb: OpenTestDb;
    let db: Db;
    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
      // New accounts need an admin to exist and registration open (test/lib/accounts/registration.test.ts covers the other modes).
      await db.user.create({ data: { username: 'site_admin', isAdmin: true } });
    });
    after(async () => {
      await testDb?.close();
    });

    it('creates a user with a channel once, then finds it again; a taken name gets a suffix', async () => {
      const identity = { provider: 'github', providerAccountId: '583231', preferredUsername: 'Octocat', displayName: 'The Octocat' };
      const first = await findOrCreateOAuthUser(db, identity, OPEN);
      assert.equal(first.username, 'octocat');
      const channel = await db.channel.findUniqueOrThrow({ where: { userId: first.id } });
      assert.equal(channel.slug, 'octocat');
      assert.equal(channel.title, "The Octocat's channel");
      assert.deepEqual(await findOrCreateOAuthUser(db, identity, OPEN), first);

      const other = await findOrCreateOAuthUser(db, { ...identity, provider: 'oidc', providerAccountId: 'sub-1' }, OPEN);
      assert.match(other.username, /^octocat_\d{4}$/);
      assert.equal(await db.user.count({ where: { isAdmin: false } }), 2);
      assert.equal((await db.user.findUniqueOrThrow({ where: { id: other.id } })).passwordHash, null);
    });
  });
}
