// The past-broadcast data layer against a real migrated database (SQLite and PostgreSQL 15) and
// real files in a temp RECORD_DIR: who sees what, ownership of every change, delete removes the
// files, retention by size deletes the oldest, the low-disk record decision.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { AppError } from '../../../lib/errors';
import { findWatchableBroadcast, listChannelBroadcasts } from '../../../lib/recordings/access';
import { deleteOwnBroadcast, listOwnBroadcasts, updateOwnBroadcast } from '../../../lib/recordings/manage';
import { shouldRecord } from '../../../lib/recordings/record-decision';
import { applyRetention } from '../../../lib/recordings/retention';
import { getSiteRecordingLimits, setSavedRecordingLimits } from '../../../lib/recordings/settings';
import { manualClock } from '../../helpers/clock';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';
import { silentLogger } from '../../helpers/logger';

const MB = 1024 ** 2;
const T0 = Date.UTC(2026, 11, 1);

for (const kind of DATABASE_KINDS) {
  describe(`past broadcasts data layer (${kind})`, () => {
    let open: OpenTestDb;
    let recordDir: string;
    let n = 0;

    before(async () => {
      open = await openTestDb(kind);
      recordDir = await mkdtemp(join(tmpdir(), 'onair-rec-'));
    });
    after(async () => {
      await open?.close();
      await rm(recordDir, { recursive: true, force: true });
    });

    async function channel() {
      const username = `rec_${kind}_${++n}`;
      const { user, channel } = await createUserWithChannel(open.db, { username, passwordHash: null });
      return { userId: user.id, channelId: channel.id, slug: username };
    }

    /** A row plus a folder with one file of `mb` MB. */
    async function broadcast(owner: { channelId: string; slug: string }, startedAt: number, options: { mb?: number; visibility?: string } = {}) {
      const recordingId = `r${startedAt.toString(36)}${++n}`.slice(0, 32).padEnd(8, '0');
      const folder = `live/${owner.slug}/${recordingId}`;
      await mkdir(join(recordDir, folder), { recursive: true });
      await writeFile(join(recordDir, folder, 'seg-1.m4s'), Buffer.alloc((options.mb ?? 1) * MB));
      return open.db.broadcast.create({
        data: {
          channelId: owner.channelId,
          folder,
          title: `at ${startedAt}`,
          startedAt: new Date(startedAt),
          durationMs: 20_000,
          sizeBytes: BigInt((options.mb ?? 1) * MB),
          visibility: options.visibility ?? 'public',
        },
      });
    }

    it('the channel list: newest first and paged; others see public ones only, the owner all', async () => {
      const owner = await channel();
      const other = await channel();
      const old = await broadcast(owner, T0);
      const priv = await broadcast(owner, T0 + 1000, { visibility: 'private' });
      const unlisted = await broadcast(owner, T0 + 2000, { visibility: 'unlisted' });
      const newest = await broadcast(owner, T0 + 3000);
      const key = { id: owner.channelId, ownerId: owner.userId };

      const anonymous = await listChannelBroadcasts(open.db, key, null, 0);
      assert.deepEqual(anonymous.items.map((i) => i.id), [newest.id, old.id]);
      assert.deepEqual((await listChannelBroadcasts(open.db, key, { id: other.userId }, 0)).items.map((i) => i.id), [newest.id, old.id]);
      const own = await listChannelBroadcasts(open.db, key, { id: owner.userId }, 0);
      assert.deepEqual(own.items.map((i) => i.id), [newest.id, unlisted.id, priv.id, old.id]);
      const page1 = await listChannelBroadcasts(open.db, key, { id: owner.userId }, 0, 3);
      const page2 = await listChannelBroadcasts(open.db, key, { id: owner.userId }, 1, 3);
      assert.deepEqual([page1.hasMore, page2.hasMore, page2.items.map((i) => i.id)], [true, false, [old.id]]);
    });

    it('the video link: private only for the owner (others: null = 404), unlisted for anyone with the link, wrong slug = 404', async () => {
      const owner = await channel();
      const other = await channel();
      const priv = await broadcast(owner, T0, { visibility: 'private' });
      const unlisted = await broadcast(owner, T0 + 1, { visibility: 'unlisted' });
      assert.equal(await findWatchableBroadcast(open.db, priv.id, null, owner.slug), null);
      assert.equal(await findWatchableBroadcast(open.db, priv.id, { id: other.userId }, owner.slug), null);
      assert.equal((await findWatchableBroadcast(open.db, priv.id, { id: owner.userId }, owner.slug))?.isOwner, true);
      assert.equal((await findWatchableBroadcast(open.db, unlisted.id, null, owner.slug))?.id, unlisted.id);
      assert.equal(await findWatchableBroadcast(open.db, unlisted.id, null, other.slug), null);
      assert.equal(await findWatchableBroadcast(open.db, '../../etc', null), null);
    });

    it('rename, visibility and delete only for the owner; delete removes the files at once', async () => {
      const owner = await channel();
      const other = await channel();
      const b = await broadcast(owner, T0);
      await assert.rejects(updateOwnBroadcast(open.db, other.userId, b.id, { title: 'mine now' }), (e: unknown) => e instanceof AppError && e.code === 'not_found');
      await assert.rejects(deleteOwnBroadcast(open.db, other.userId, recordDir, b.id), AppError);
      assert.ok(existsSync(join(recordDir, b.folder)));

      await updateOwnBroadcast(open.db, owner.userId, b.id, { title: 'Renamed', visibility: 'private' });
      const [listed] = await listOwnBroadcasts(open.db, owner.userId);
      assert.deepEqual([listed?.title, listed?.visibility], ['Renamed', 'private']);

      await deleteOwnBroadcast(open.db, owner.userId, recordDir, b.id);
      assert.equal(await open.db.broadcast.count({ where: { id: b.id } }), 0);
      assert.equal(existsSync(join(recordDir, b.folder)), false);
    });

    it('retention by size deletes the oldest (rows and files) until the rest fits; the admin setting applies, env wins', async () => {
      const owner = await channel();
      const others = await open.db.broadcast.findMany({ select: { id: true } });
      await open.db.broadcast.deleteMany({ where: { id: { in: others.map((o) => o.id) } } });
      const oldest = await broadcast(owner, T0, { mb: 2 });
      const middle = await broadcast(owner, T0 + 1000, { mb: 2 });
      const newest = await broadcast(owner, T0 + 2000, { mb: 2 });

      await setSavedRecordingLimits(open.db, { maxAgeDays: null, maxGb: 4.5 / 1024 });
      const site = await getSiteRecordingLimits(open.db, { RECORDINGS_MAX_AGE_DAYS: undefined, RECORDINGS_MAX_GB: undefined });
      assert.deepEqual(site, { maxAgeDays: null, maxGb: 4.5 / 1024 });
      assert.deepEqual(await getSiteRecordingLimits(open.db, { RECORDINGS_MAX_AGE_DAYS: 0, RECORDINGS_MAX_GB: 0 }), { maxAgeDays: null, maxGb: null });

      const deleted = await applyRetention({ db: open.db, logger: silentLogger, recordDir, nowMs: T0 + 3000, site });
      assert.equal(deleted, 1);
      const left = await open.db.broadcast.findMany({ orderBy: { startedAt: 'asc' }, select: { id: true } });
      assert.deepEqual(left.map((b) => b.id), [middle.id, newest.id]);
      assert.equal(existsSync(join(recordDir, oldest.folder)), false);
      assert.ok(existsSync(join(recordDir, middle.folder)));

      // A per-channel limit of 2 MB keeps only the newest.
      await open.db.channel.update({ where: { id: owner.channelId }, data: { recordingsMaxGb: 2 / 1024 } });
      await applyRetention({ db: open.db, logger: silentLogger, recordDir, nowMs: T0 + 3000, site: { maxAgeDays: null, maxGb: null } });
      assert.deepEqual((await open.db.broadcast.findMany({ select: { id: true } })).map((b) => b.id), [newest.id]);
    });

    it('record decision: records with room; low disk says no and leaves the dashboard notice; recording off says no', async () => {
      const owner = await channel();
      const clock = manualClock(T0);
      let room = true;
      const deps = { db: open.db, clock, logger: silentLogger, recordDir, minFreeGb: 2, hasRoom: async () => room };
      assert.equal(await shouldRecord(deps, owner.channelId), true);
      room = false;
      assert.equal(await shouldRecord(deps, owner.channelId), false);
      const flagged = await open.db.channel.findUniqueOrThrow({ where: { id: owner.channelId } });
      assert.equal(flagged.recordingLowDiskAt?.getTime(), T0);
      room = true;
      assert.equal(await shouldRecord(deps, owner.channelId), true);
      assert.equal((await open.db.channel.findUniqueOrThrow({ where: { id: owner.channelId } })).recordingLowDiskAt, null);
      await open.db.channel.update({ where: { id: owner.channelId }, data: { recordBroadcasts: false } });
      assert.equal(await shouldRecord(deps, owner.channelId), false);
      assert.equal(await shouldRecord({ ...deps, recordDir: undefined }, owner.channelId), false);
    });
  });
}
