#!/usr/bin/env node
// @ts-check
// Prisma migrations without the native schema engine (which the Prisma 7 CLI would download):
// the same commands, run by Prisma's WebAssembly schema engine through the driver adapters
// (scripts/lib/migrate.mjs). The database is DATABASE_URL (default file:./data/onair.db).
//
//   node scripts/prisma-migrate.mjs deploy     apply pending migrations (npm run db:deploy)
//   node scripts/prisma-migrate.mjs status     list applied/pending migrations; exit 1 unless up to date
//   node scripts/prisma-migrate.mjs dev --name add_thing [--create-only] [--skip-generate] [--postgres-url URL]
//       (npm run db:migrate -- --name add_thing) regenerates the clients, creates the migration
//       for BOTH providers (SQLite on a scratch file; PostgreSQL on a scratch database in
//       --postgres-url / MIGRATE_POSTGRES_URL, which needs CREATEDB, or else in a throwaway
//       cluster started here from /usr/lib/postgresql/15/bin), then applies it to DATABASE_URL
//       unless --create-only.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../lib/config/database-url.mjs';
import { PROJECT_ROOT, createMigration, deployMigrations, migrationStatus, migrationTarget, scratchSqliteUrl } from './lib/migrate.mjs';
import { derivePostgresSchema } from './lib/postgres-schema.mjs';
import { startPostgresCluster } from './lib/migrate-pg-cluster.mjs';

const USAGE = `usage: node scripts/prisma-migrate.mjs <deploy | status | dev --name NAME [--create-only] [--skip-generate] [--postgres-url URL]> [--verbose]`;
const MIGRATION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Where a URL points, without its password.
 * @param {string} url
 */
function describeUrl(url) {
  const parsed = parseDatabaseUrl(url);
  return parsed.provider === 'sqlite' ? parsed.filePath : `postgresql://${parsed.host}:${parsed.port}/${parsed.database}`;
}

/**
 * @param {string} databaseUrl
 * @param {boolean} verbose
 * @returns {Promise<number>} the exit code
 */
async function deploy(databaseUrl, verbose) {
  const result = await deployMigrations(databaseUrl, { verbose });
  const where = describeUrl(databaseUrl);
  if (result.applied.length === 0) console.log(`${where}: no pending migrations (${result.provider})`);
  else console.log(`${where}: applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`);
  return 0;
}

/**
 * @param {string} databaseUrl
 * @param {boolean} verbose
 * @returns {Promise<number>} the exit code: 0 when up to date
 */
async function status(databaseUrl, verbose) {
  const result = await migrationStatus(databaseUrl, { verbose });
  console.log(`${describeUrl(databaseUrl)} (${result.provider}): ${result.migrations.length} migration(s) in the folder`);
  if (result.pending.length > 0) console.log(`pending: ${result.pending.join(', ')}`);
  if (result.failedMigrationNames.length > 0) console.log(`failed: ${result.failedMigrationNames.join(', ')}`);
  if (result.editedMigrationNames.length > 0) console.log(`edited after being applied: ${result.editedMigrationNames.join(', ')}`);
  if (result.history && result.history.diagnostic !== 'databaseIsBehind') console.log(`history: ${JSON.stringify(result.history)}`);
  console.log(result.upToDate ? 'database schema is up to date' : 'database schema is NOT up to date');
  return result.upToDate ? 0 : 1;
}

/**
 * A scratch database for creating the PostgreSQL twin: in the given server when there is one,
 * else in a throwaway cluster. Returns its URL and the cleanup.
 * @param {string | undefined} serverUrl
 * @returns {Promise<{ url: string; cleanup: () => Promise<void> }>}
 */
async function scratchPostgres(serverUrl) {
  if (serverUrl === undefined) {
    const cluster = await startPostgresCluster();
    return { url: cluster.url, cleanup: () => cluster.stop() };
  }
  const server = parseDatabaseUrl(serverUrl);
  if (server.provider !== 'postgresql') throw new Error('--postgres-url must be a postgres:// URL');
  const database = `onair_migrate_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  url.searchParams.delete('schema');
  return {
    url: url.toString(),
    async cleanup() {
      const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${database}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * @typedef {object} DevOptions
 * @property {string | undefined} name
 * @property {boolean} createOnly
 * @property {boolean} skipGenerate
 * @property {string | undefined} postgresUrl
 * @property {boolean} verbose
 */

/**
 * @param {DevOptions} options
 * @param {string} databaseUrl
 * @returns {Promise<number>} the exit code
 */
async function dev({ name, createOnly, skipGenerate, postgresUrl, verbose }, databaseUrl) {
  if (name === undefined || !MIGRATION_NAME.test(name)) {
    throw new Error(`dev needs --name NAME (letters, digits, _ or -, at most 80), e.g. --name add_category`);
  }
  if (skipGenerate) {
    // The PostgreSQL twin is made from prisma/postgres/schema.prisma, so it must be current even
    // when the clients are not regenerated.
    const derived = derivePostgresSchema(readFileSync(migrationTarget('sqlite').schemaPath, 'utf8'));
    writeFileSync(migrationTarget('postgresql').schemaPath, derived);
  } else {
    // Also re-derives prisma/postgres/schema.prisma from prisma/schema.prisma.
    execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'prisma-generate.mjs')], { stdio: 'inherit' });
  }

  const sqlite = scratchSqliteUrl();
  let sqliteMigration;
  try {
    sqliteMigration = await createMigration(sqlite.url, { name, verbose });
  } finally {
    sqlite.cleanup();
  }
  const postgres = await scratchPostgres(postgresUrl);
  let postgresMigration;
  try {
    postgresMigration = await createMigration(postgres.url, { name, folderName: sqliteMigration?.migrationName, verbose });
  } catch (error) {
    // Both twins or neither: a lone SQLite migration would leave the PostgreSQL folder behind.
    if (sqliteMigration) rmSync(sqliteMigration.dir, { recursive: true, force: true });
    throw error;
  } finally {
    await postgres.cleanup();
  }
  if (!sqliteMigration && !postgresMigration) {
    console.log('no schema changes: no migration created');
  }
  for (const migration of [sqliteMigration, postgresMigration]) {
    if (!migration) continue;
    console.log(`created ${migration.dir.slice(PROJECT_ROOT.length + 1)}/migration.sql`);
    for (const warning of migration.warnings) console.log(`  warning (${migration.provider}): ${warning}`);
  }
  if (Boolean(sqliteMigration) !== Boolean(postgresMigration)) {
    console.log('warning: only one provider produced a migration; check that both schemas describe the same model');
  }
  if (createOnly) return 0;
  return deploy(databaseUrl, verbose);
}

/**
 * @param {string[]} argv
 * @returns {Promise<number>} the exit code
 */
async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', short: 'n' },
      'create-only': { type: 'boolean', default: false },
      'skip-generate': { type: 'boolean', default: false },
      'postgres-url': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new Error(`unexpected argument ${JSON.stringify(rest[0])}\n${USAGE}`);
  switch (command) {
    case 'deploy':
      return deploy(databaseUrl, values.verbose);
    case 'status':
      return status(databaseUrl, values.verbose);
    case 'dev':
      return dev(
        {
          name: values.name,
          createOnly: values['create-only'],
          skipGenerate: values['skip-generate'],
          postgresUrl: values['postgres-url'] ?? (process.env.MIGRATE_POSTGRES_URL || undefined),
          verbose: values.verbose,
        },
        databaseUrl,
      );
    default:
      throw new Error(USAGE);
  }
}

// The wasm glue can leave timers and handles behind; a CLI ends when its work is done.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`prisma-migrate: ${error instanceof Error ? error.message : String(error)}`);
    if (process.argv.includes('--verbose') && error?.logs) console.error(error.logs.join(''));
    process.exit(1);
  },
);
