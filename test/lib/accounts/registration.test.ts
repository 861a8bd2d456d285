// Registration rules on SQLite and on a real PostgreSQL 15: the setup link makes exactly one
// admin when two sign-ups race with it, an invite is consumed exactly once, the registration mode
// decides who may sign up (form and GitHub/OIDC), session versions and admin invariants hold.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findActiveSessionUser } from '../../../lib/accounts/active-session';
import { changePassword } from '../../../lib/accounts/change-password';
import { deleteOwnAccount } from '../../../lib/accounts/delete-account';
import { endAllSessions } from '../../../lib/accounts/end-sessions';
import { createInvite, revokeInvite } from '../../../lib/accounts/invites';
import { findOrCreateOAuthUser } from '../../../lib/accounts/oauth-user';
import { registerUser, signUpGrantFor, SIGN_UP_REFUSALS } from '../../../lib/accounts/register-user';
import { verifyCredentials } from '../../../lib/accounts/verify-credentials';
import { deleteUserAsAdmin, setUserAdmin, setUserDisabled } from '../../../lib/admin/users';
import { createDb, type Db } from '../../../lib/db';
import { AppError } from '../../../lib/errors';
import { hashPassword } from '../../../lib/passwords';
import { getRegistrationMode, setRegistrationMode } from '../../../lib/site-settings/registration';
import { issueSetupToken, SETUP_TOKEN_SETTING_KEY } from '../../../lib/site-settings/setup-token';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';

const isAppError = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

for (const kind of DATABASE_KINDS) {
  describe(`registration on ${kind}`, { timeout: 180_000 }, () => {
    let testDb: OpenTestDb;
    let db: Db;
    let other: Db;
    let adminId = '';

    before(async () => {
      testDb = await openTestDb(kind);
      db = testDb.db;
      // PostgreSQL: a second client (a second pool), so the races go through the server's row locks.
      // SQLite: the app's one client, as in the web app (better-sqlite3 is synchronous, so a second
      // connection in the same process would block the event loop while it waits for the lock).
      other = kind === 'postgres' ? createDb(testDb.url) : db;
    });
    after(async () => {
      if (other !== db) await other?.$disconnect();
      await testDb?.close();
    });

    it('before the first admin, nothing but the setup link signs up, in any mode', async () => {
      for (const mode of ['open', 'invite', 'closed'] as const) {
        assert.deepEqual(await signUpGrantFor(db, {}, mode), { refused: SIGN_UP_REFUSALS.notSetUp });
      }
      await assert.rejects(
        findOrCreateOAuthUser(db, { provider: 'github', providerAccountId: '1', preferredUsername: 'early', displayName: null }, { mode: 'open' }),
        isAppError('forbidden'),
      );
      assert.equal(await db.user.count(), 0);
    });

    it('two sign-ups racing with one setup link: exactly one admin', async () => {
      const token = await issueSetupToken(db);
      assert.ok(token);
      const stored = await db.siteSetting.findUniqueOrThrow({ where: { key: SETUP_TOKEN_SETTING_KEY } });
      assert.notEqual(stored.value, token, 'only the hash is stored');
      const passwordHash = await hashPassword('correct horse battery');
      const results = await Promise.allSettled([
        registerUser(db, { kind: 'setup', token }, { username: 'first_a', passwordHash }),
        registerUser(other, { kind: 'setup', token }, { username: 'first_b', passwordHash }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))));
      assert.equal(lost.length, 1);
      const reason: unknown = lost[0]?.status === 'rejected' ? lost[0].reason : null;
      assert.ok(isAppError('forbidden')(reason), String(reason));
      const admins = await db.user.findMany({ where: { isAdmin: true } });
      assert.equal(admins.length, 1);
      assert.equal(await db.user.count(), 1, 'the loser created nothing');
      adminId = admins[0]?.id ?? '';
      assert.equal(await db.siteSetting.count({ where: { key: SETUP_TOKEN_SETTING_KEY } }), 0);
      // Start-up with an admin makes no new link.
      assert.equal(await issueSetupToken(db), null);
      await assert.rejects(registerUser(db, { kind: 'setup', token }, { username: 'late', passwordHash }), isAppError('forbidden'));
    });

    it('the mode decides: invite by default, the env wins over the site setting', async () => {
      assert.equal(await getRegistrationMode(db, undefined), 'invite');
      assert.deepEqual(await signUpGrantFor(db, {}, 'invite'), { refused: SIGN_UP_REFUSALS.inviteRequired });
      assert.deepEqual(await signUpGrantFor(db, { invite: 'x'.repeat(43) }, 'closed'), { refused: SIGN_UP_REFUSALS.closed });
      assert.deepEqual(await signUpGrantFor(db, {}, 'open'), { kind: 'open' });
      await setRegistrationMode(db, 'open');
      assert.equal(await getRegistrationMode(db, undefined), 'open');
      assert.equal(await getRegistrationMode(db, 'closed'), 'closed');
      await setRegistrationMode(db, 'invite');
    });

    it('two sign-ups racing with one invite: exactly one account; expired and revoked invites refuse', async () => {
      const invite = await createInvite(db, adminId, 7);
      const passwordHash = await hashPassword('correct horse battery');
      const results = await Promise.allSettled([
        registerUser(db, { kind: 'invite', token: invite.token }, { username: 'guest_a', passwordHash }),
        registerUser(other, { kind: 'invite', token: invite.token }, { username: 'guest_b', passwordHash }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const used = await db.invite.findUniqueOrThrow({ where: { id: invite.id } });
      assert.ok(used.usedAt);
      assert.equal(await db.user.count({ where: { username: used.usedBy ?? '' } }), 1);
      assert.equal(await db.user.count({ where: { username: { in: ['guest_a', 'guest_b'] } } }), 1);

      const expired = await createInvite(db, adminId, 1, new Date(Date.now() - 2 * 24 * 3600_000));
      await assert.rejects(registerUser(db, { kind: 'invite', token: expired.token }, { username: 'guest_c', passwordHash }), isAppError('forbidden'));
      const revoked = await createInvite(db, adminId, 1);
      assert.equal(await revokeInvite(db, revoked.id), true);
      await assert.rejects(registerUser(db, { kind: 'invite', token: revoked.token }, { username: 'guest_c', passwordHash }), isAppError('forbidden'));

      // A failed creation (name taken) leaves the invite unused.
      const fresh = await createInvite(db, adminId, 1);
      const admin = await db.user.findUniqueOrThrow({ where: { id: adminId } });
      await assert.rejects(registerUser(db, { kind: 'invite', token: fresh.token }, { username: admin.username, passwordHash }), isAppError('conflict'));
      assert.equal((await db.invite.findUniqueOrThrow({ where: { id: fresh.id } })).usedAt, null);
    });

    it('GitHub/OIDC: an unknown identity is refused in invite and closed mode, created in open mode', async () => {
      const identity = { provider: 'github', providerAccountId: '42', preferredUsername: 'octo', displayName: null };
      await assert.rejects(findOrCreateOAuthUser(db, identity, { mode: 'invite' }), isAppError('forbidden'));
      await assert.rejects(findOrCreateOAuthUser(db, identity, { mode: 'closed' }), isAppError('forbidden'));
      const created = await findOrCreateOAuthUser(db, identity, { mode: 'open' });
      assert.equal(created.username, 'octo');
      // Known identities still sign in when sign-up is closed.
      assert.equal((await findOrCreateOAuthUser(db, identity, { mode: 'closed' })).id, created.id);
    });

    it('session versions: ending sessions and disabling revoke tokens; a disabled user cannot sign in', async () => {
      const passwordHash = await hashPassword('streamer password');
      const { user } = await registerUser(db, { kind: 'open' }, { username: 'streamer', passwordHash });
      const claims = { sub: user.id, sv: user.sessionVersion };
      assert.ok(await findActiveSessionUser(db, claims));
      const version = await endAllSessions(db, user.id);
      assert.equal(version, user.sessionVersion + 1);
      assert.equal(await findActiveSessionUser(db, claims), null);
      assert.ok(await findActiveSessionUser(db, { sub: user.id, sv: version }));

      const { sessionVersion } = await changePassword(db, user.id, { currentPassword: 'streamer password', newPassword: 'a new password' });
      assert.equal(await findActiveSessionUser(db, { sub: user.id, sv: version }), null);
      await assert.rejects(changePassword(db, user.id, { currentPassword: 'wrong', newPassword: 'another one!' }), isAppError('forbidden'));
      assert.ok(await verifyCredentials(db, { username: 'streamer', password: 'a new password' }));

      await assert.rejects(setUserDisabled(db, adminId, adminId, true), isAppError('forbidden'));
      await setUserDisabled(db, adminId, user.id, true);
      assert.equal(await findActiveSessionUser(db, { sub: user.id, sv: sessionVersion }), null);
      assert.equal(await verifyCredentials(db, { username: 'streamer', password: 'a new password' }), null);
      await setUserDisabled(db, adminId, user.id, false);
      assert.ok(await verifyCredentials(db, { username: 'streamer', password: 'a new password' }));
    });

    it('never zero admins: the last admin cannot be demoted or delete themself', async () => {
      const streamer = await db.user.findUniqueOrThrow({ where: { username: 'streamer' } });
      await assert.rejects(setUserAdmin(db, streamer.id, adminId, false), isAppError('conflict'));
      await assert.rejects(deleteOwnAccount(db, adminId, 'correct horse battery'), isAppError('conflict'));
      assert.equal(await db.user.count({ where: { id: adminId, isAdmin: true } }), 1);
      await setUserAdmin(db, adminId, streamer.id, true);
      await setUserAdmin(db, streamer.id, adminId, false);
      assert.equal(await db.user.count({ where: { isAdmin: true } }), 1);
      await assert.rejects(deleteOwnAccount(db, streamer.id, 'wrong password'), isAppError('forbidden'));
      await deleteUserAsAdmin(db, streamer.id, adminId);
      assert.equal(await db.user.count({ where: { id: adminId } }), 0);
      await assert.rejects(deleteOwnAccount(db, streamer.id, 'a new password'), isAppError('conflict'));
      const octo = await db.user.findUniqueOrThrow({ where: { username: 'octo' } });
      await assert.rejects(deleteOwnAccount(db, octo.id, 'nope'), isAppError('forbidden'));
      await deleteOwnAccount(db, octo.id, 'OCTO');
      assert.equal(await db.channel.count({ where: { slug: 'octo' } }), 0);
    });
  });
}
