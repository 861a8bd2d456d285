// A fresh, fully migrated database per test (suite), on either provider:
//   const database = await createTestDatabase('sqlite');   // or 'postgres'
//   const db = createDb(database.url);                     // lib/db.ts
//   ... after: await db.$disconnect(); await database.cleanup();
// or both steps at once: `const { db, close } = await openTestDb('sqlite')`, then `await close()`.
// Migrations are applied in-process by the same code as `npm run db:deploy`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../../lib/db';
import { deployMigrations } from '../../scripts/lib/migrate.mjs';
import { acquireSharedPostgres } from './postgres';

export type DatabaseKind = 'sqlite' | 'postgres';
// `npm run test:unit` starts no PostgreSQL server: there the data-layer tests run on SQLite (in-process) only,
// and `npm test` runs them on both.
export const DATABASE_KINDS: readonly DatabaseKind[] = process.env.ONAIR_TEST_SUITE === 'unit' ? ['sqlite'] : ['sqlite', 'postgres'];

export interface TestDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL of the new database (`file:/abs/path` or `postgresql://…`). */
  url: string;
  /** Deletes the database (and stops the PostgreSQL cluster once nobody uses it). Disconnect clients first. */
  cleanup: () => Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Apply the migrations (default true); false gives an empty database, for migration tests. */
  migrate?: boolean;
}

async function createSqlite(migrate: boolean): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'onair-db-'));
  const url = `file:${join(dir, 'test.db')}`;
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    if (migrate) await deployMigrations(url);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { kind: 'sqlite', url, cleanup };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPostgres(migrate: boolean): Promise<TestDatabase> {
  const { cluster, release } = await acquireSharedPostgres();
  const name = `onair_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  let created = false;
  const cleanup = async () => {
    try {
      // FORCE: a client a test forgot to disconnect must not make cleanup fail.
      if (created) await adminQuery(cluster.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await release();
    }
  };
  try {
    await adminQuery(cluster.url, `CREATE DATABASE "${name}"`);
    created = true;
    if (migrate) await deployMigrations(url.toString());
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { kind: 'postgres', url: url.toString(), cleanup };
}

export function createTestDatabase(kind: DatabaseKind, options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  return kind === 'sqlite' ? createSqlite(migrate) : createPostgres(migrate);
}

export interface OpenTestDb {
  db: Db;
  /** DATABASE_URL of the database `db` is connected to. */
  url: string;
  /** Disconnects `db`, then deletes the database (in that order, as cleanup() requires). */
  close: () => Promise<void>;
}

/** A fresh migrated database with a lib/db.ts client connected to it. */
export async function openTestDb(kind: DatabaseKind): Promise<OpenTestDb> {
  const database = await createTestDatabase(kind);
  const db = createDb(database.url);
  const close = async () => {
    try {
      await db.$disconnect();
    } finally {
      await database.cleanup();
    }
  };
  return { db, url: database.url, close };
}
