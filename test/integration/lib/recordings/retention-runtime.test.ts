// Retention as the running app applies it (lib/recordings/runtime.ts): at start-up, and after each
// registration through on_record_done. Real app, real SQLite database, real files; RECORDINGS_MAX_GB
// from the environment.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../lib/channels/create-user-with-channel';
import { createDb, type Db } from '../../../../lib/db';
import { createTestDatabase, type TestDatabase } from '../../../helpers/database';
import { sendRawHttp } from '../../../helpers/raw-http';
import { makeRecordingFolder, recordDoneRequest } from '../../../helpers/recordings';
import { waitFor } from '../../../helpers/wait-for';
import { startWebApp, type WebApp } from '../../../helpers/web-app';

const MB = 1024 ** 2;
const SLUG = 'retained';

describe('retention in the running app (start-up, after each registration)', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let app: WebApp;
  let recordDir: string;
  let channelId: string;
  const folders: string[] = [];

  before(async () => {
    recordDir = await mkdtemp(join(tmpdir(), 'onair-retention-'));
    database = await createTestDatabase('sqlite');
    db = createDb(database.url);
    ({ channel: { id: channelId } } = await createUserWithChannel(db, { username: SLUG, passwordHash: null }));
    // Three old broadcasts of 2 MB each, oldest first; the limit (4.05 MB) holds two, and no more.
    for (const [i, day] of [1, 2, 3].entries()) {
      const folder = `live/${SLUG}/lq2x8k3zold${i}`;
      await mkdir(join(recordDir, folder), { recursive: true });
      await writeFile(join(recordDir, folder, 'seg-00001.m4s'), Buffer.alloc(2 * MB));
      await db.broadcast.create({ data: { channelId, folder, title: `old ${i}`, startedAt: new Date(Date.UTC(2026, 10, day)), durationMs: 1000, sizeBytes: BigInt(2 * MB) } });
      folders.push(folder);
    }
  });
  after(async () => {
    await app?.stop();
    await db?.$disconnect();
    await database?.cleanup();
    await rm(recordDir, { recursive: true, force: true });
  });

  it('at start-up the oldest go until the rest fits RECORDINGS_MAX_GB (rows and files)', async () => {
    app = await startWebApp({ databaseUrl: database.url, env: { RECORD_DIR: recordDir, RECORDINGS_MAX_GB: String(4.05 / 1024), RECORDINGS_MIN_FREE_GB: '0' } });
    // The row goes before its folder (lib/recordings/delete-broadcast.ts), so wait for both.
    await waitFor('start-up retention', async () => (await db.broadcast.count({ where: { channelId } })) === 2 && !existsSync(join(recordDir, folders[0]!)), 30_000, app);
    assert.ok(existsSync(join(recordDir, folders[1]!)) && existsSync(join(recordDir, folders[2]!)));
  });

  it('a new registration pushes the next oldest out at once', async () => {
    const folder = join(recordDir, 'live', SLUG, 'lq2x8k3znew1');
    await mkdir(folder, { recursive: true });
    await makeRecordingFolder(folder, 4);
    const target = `/api/rtmp/on-record-done?secret=${encodeURIComponent(app.callbackSecret)}`;
    const response = await sendRawHttp(app.port, recordDoneRequest(target, { app: 'live', name: SLUG, path: join(folder, 'index.m3u8') }), 60_000);
    assert.equal(response.status, 200, response.body);
    const left = await db.broadcast.findMany({ where: { channelId }, orderBy: { startedAt: 'asc' }, select: { folder: true } });
    assert.deepEqual(left.map((b) => b.folder), [folders[2], `live/${SLUG}/lq2x8k3znew1`]);
    assert.equal(existsSync(join(recordDir, folders[1]!)), false);
  });
});
