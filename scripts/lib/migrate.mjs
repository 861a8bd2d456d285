// @ts-check
// Migrations for both providers, through Prisma's wasm schema engine (scripts/lib/migrate-engine.mjs).
//
//   provider     schema                          migrations folder
//   sqlite       prisma/schema.prisma            prisma/migrations
//   postgresql   prisma/postgres/schema.prisma   prisma/postgres/migrations
//
// The folders use Prisma's layout (`<YYYYMMDDHHMMSS>_<name>/migration.sql` plus
// `migration_lock.toml`), and the engine writes Prisma's `_prisma_migrations` table, so
// `prisma migrate deploy` and these functions can take turns on the same database.
//
// In-process use: the engine's internal timers are unref'd, so a caller exits normally once its
// own work is done. Every function opens and closes its own engine connection.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDatabaseUrl } from '../../lib/config/database-url.mjs';
import { SchemaEngineError, openSchemaEngine } from './migrate-engine.mjs';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @typedef {'sqlite' | 'postgresql'} Provider */
/** @typedef {import('@prisma/schema-engine-wasm/schema_engine_bg').MigrationList} MigrationsList */
/** @typedef {import('@prisma/schema-engine-wasm/schema_engine_bg').HistoryDiagnostic} HistoryDiagnostic */
/** @typedef {import('./migrate-engine.mjs').OpenSchemaEngine} OpenSchemaEngine */
/** @typedef {import('../../lib/config/database-url.mjs').DatabaseUrl} DatabaseUrl */

/**
 * @typedef {object} MigrationTarget
 * @property {Provider} provider
 * @property {string} schemaPath
 * @property {string} migrationsDir
 */

/**
 * @typedef {object} MigrateOptions
 * @property {string} [cwd] Resolves relative `file:` URLs (default process.cwd()).
 * @property {string} [root] Project root holding prisma/ (default: this repository).
 * @property {boolean} [verbose] Print the schema engine's log lines to stderr.
 */

/**
 * @typedef {object} DeployResult
 * @property {Provider} provider
 * @property {string} migrationsDir
 * @property {string[]} applied Names of the migrations this call applied (empty when the database was up to date).
 */

/**
 * @typedef {object} StatusResult
 * @property {Provider} provider
 * @property {string[]} migrations
 * @property {string[]} pending
 * @property {boolean} upToDate
 * @property {string[]} editedMigrationNames
 * @property {string[]} failedMigrationNames
 * @property {boolean} hasMigrationsTable
 * @property {HistoryDiagnostic | null} history
 */

/**
 * @typedef {MigrateOptions & { name: string; folderName?: string; draft?: boolean }} CreateMigrationOptions
 */

/**
 * @typedef {object} CreateMigrationResult
 * @property {Provider} provider
 * @property {string} migrationName
 * @property {string} dir
 * @property {string[]} warnings
 */

const NO_FILTER = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';
const MISSING_MIGRATIONS_TABLE = /_prisma_migrations` does not exist/;

/**
 * Where the schema and the migrations of one provider live.
 * @param {Provider} provider
 * @param {string} [root]
 * @returns {MigrationTarget}
 */
export function migrationTarget(provider, root = PROJECT_ROOT) {
  if (provider === 'sqlite') {
    return { provider, schemaPath: join(root, 'prisma', 'schema.prisma'), migrationsDir: join(root, 'prisma', 'migrations') };
  }
  if (provider === 'postgresql') {
    return {
      provider,
      schemaPath: join(root, 'prisma', 'postgres', 'schema.prisma'),
      migrationsDir: join(root, 'prisma', 'postgres', 'migrations'),
    };
  }
  throw new Error(`unknown provider ${JSON.stringify(provider)}`);
}

/**
 * The migrations folder in the shape the engine takes, read exactly as the Prisma CLI reads it:
 * every sub-folder is a migration, sorted by name, its `migration.sql` passed as text (a missing
 * file is passed as an error, which the engine reports by migration name).
 * @param {string} migrationsDir
 * @returns {MigrationsList}
 */
export function readMigrationsList(migrationsDir) {
  const lockPath = join(migrationsDir, LOCKFILE);
  const lockfile = { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null };
  const entries = existsSync(migrationsDir) ? readdirSync(migrationsDir, { withFileTypes: true }) : [];
  const migrationDirectories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const file = join(migrationsDir, entry.name, 'migration.sql');
      /** @type {MigrationsList['migrationDirectories'][number]['migrationFile']['content']} */
      let content;
      try {
        content = { tag: 'ok', value: readFileSync(file, 'utf8') };
      } catch (error) {
        content = { tag: 'error', value: error instanceof Error ? error.message : String(error) };
      }
      return { path: entry.name, migrationFile: { path: 'migration.sql', content } };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir: migrationsDir, lockfile, migrationDirectories, shadowDbInitScript: '' };
}

/**
 * @template T
 * @param {string} databaseUrl
 * @param {MigrateOptions} options
 * @param {(engine: OpenSchemaEngine, target: MigrationTarget, parsedUrl: DatabaseUrl) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withEngine(databaseUrl, options, work) {
  const parsedUrl = parseDatabaseUrl(databaseUrl, options.cwd);
  if (parsedUrl.provider === 'sqlite' && parsedUrl.filePath !== ':memory:') {
    mkdirSync(dirname(parsedUrl.filePath), { recursive: true });
  }
  const target = migrationTarget(parsedUrl.provider, options.root);
  const engine = await openSchemaEngine({ parsedUrl, schemaPath: target.schemaPath, verbose: options.verbose });
  try {
    return await work(engine, target, parsedUrl);
  } finally {
    await engine.close();
  }
}

/**
 * `migrate deploy`: applies every migration of the folder matching the URL's provider that the
 * database has not applied yet. Never creates migrations, never resets. Idempotent.
 * @param {string} databaseUrl
 * @param {MigrateOptions} [options]
 * @returns {Promise<DeployResult>}
 */
export async function deployMigrations(databaseUrl, options = {}) {
  return withEngine(databaseUrl, options, async (engine, target) => {
    const { appliedMigrationNames } = await engine.call('applyMigrations', {
      migrationsList: readMigrationsList(target.migrationsDir),
      filters: NO_FILTER,
    });
    return { provider: target.provider, migrationsDir: target.migrationsDir, applied: appliedMigrationNames };
  });
}

/**
 * `migrate status`: which migrations are applied, pending, failed or edited after being applied.
 * @param {string} databaseUrl
 * @param {MigrateOptions} [options]
 * @returns {Promise<StatusResult>}
 */
export async function migrationStatus(databaseUrl, options = {}) {
  return withEngine(databaseUrl, options, async (engine, target) => {
    const migrationsList = readMigrationsList(target.migrationsDir);
    const names = migrationsList.migrationDirectories.map((dir) => dir.path);
    /** @type {import('@prisma/schema-engine-wasm/schema_engine_bg').DiagnoseMigrationHistoryOutput} */
    let diagnosis;
    try {
      diagnosis = await engine.call('diagnoseMigrationHistory', { migrationsList, optInToShadowDatabase: false, filters: NO_FILTER });
    } catch (error) {
      // The wasm engine fails (P1014) where the native one reports "no migrations table":
      // a database that was never migrated has every migration pending.
      if (!(error instanceof SchemaEngineError && MISSING_MIGRATIONS_TABLE.test(error.message))) throw error;
      diagnosis = {
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: false,
        history: names.length === 0 ? null : { diagnostic: 'databaseIsBehind', unappliedMigrationNames: names },
      };
    }
    const history = diagnosis.history;
    const pending = history?.diagnostic === 'databaseIsBehind' ? history.unappliedMigrationNames : [];
    return {
      provider: target.provider,
      migrations: names,
      pending,
      upToDate: history === null && diagnosis.failedMigrationNames.length === 0 && diagnosis.editedMigrationNames.length === 0,
      ...diagnosis,
    };
  });
}

/**
 * The SQL that would take a database from `from` to the current schema, as `prisma migrate diff
 * --script` prints it. `from: 'empty'` gives the whole schema; `from: 'migrations'` replays the
 * migrations folder in a shadow database (hence the database URL: for PostgreSQL it must allow
 * CREATE DATABASE) and returns what is missing — an empty string when the folder is in sync.
 * @param {string} databaseUrl
 * @param {'empty' | 'migrations'} from
 * @param {MigrateOptions} [options]
 * @returns {Promise<string>}
 */
export async function diffToSchema(databaseUrl, from, options = {}) {
  return withEngine(databaseUrl, options, async (engine, target) => {
    /** @type {import('@prisma/schema-engine-wasm/schema_engine_bg').DiffTarget} */
    const fromTarget = from === 'empty' ? { tag: 'empty' } : { tag: 'migrations', ...readMigrationsList(target.migrationsDir) };
    const result = await engine.call('diff', {
      from: fromTarget,
      to: { tag: 'schemaDatamodel', files: [{ path: target.schemaPath, content: engine.schemaText }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const script = result.stdout ?? '';
    // The engine's way of saying "nothing to do"; callers compare against ''.
    return script.trim() === '-- This is an empty migration.' ? '' : script;
  });
}

/**
 * Creates a migration for the provider of `databaseUrl`, which should be a scratch database (the
 * CLI creates both twins on fresh temporary databases): applies the existing migrations, warns
 * about data loss, asks the engine for the migration, writes it the way the Prisma CLI writes it,
 * and applies it to prove it runs. `folderName` forces the folder name (so the PostgreSQL twin
 * gets the same name as the SQLite migration). Returns null when the schema has no changes.
 * @param {string} databaseUrl
 * @param {CreateMigrationOptions} options
 * @returns {Promise<CreateMigrationResult | null>}
 */
export async function createMigration(databaseUrl, { name, folderName, draft = false, ...options }) {
  return withEngine(databaseUrl, options, async (engine, target) => {
    const filters = NO_FILTER;
    await engine.call('applyMigrations', { migrationsList: readMigrationsList(target.migrationsDir), filters });
    // devDiagnostic is also what sets up the engine's shadow database for the calls after it
    // (without it evaluateDataLoss/createMigration fail with "shadow DB must be provided through an
    // external factory"). On a scratch database it can only ask for a reset if the migrations
    // folder itself is broken (a migration that fails to replay, an edited applied migration).
    const diagnostic = await engine.call('devDiagnostic', { migrationsList: readMigrationsList(target.migrationsDir), filters });
    if (diagnostic.action.tag === 'reset') {
      throw new Error(`the ${target.provider} migrations folder ${target.migrationsDir} is inconsistent: ${diagnostic.action.reason}`);
    }
    const schema = { files: [{ path: target.schemaPath, content: engine.schemaText }] };
    const dataLoss = await engine.call('evaluateDataLoss', {
      migrationsList: readMigrationsList(target.migrationsDir),
      schema,
      filters,
    });
    if (dataLoss.unexecutableSteps.length > 0) {
      throw new Error(
        `the ${target.provider} migration cannot be executed as is:\n` + dataLoss.unexecutableSteps.map((s) => `  - ${s.message}`).join('\n'),
      );
    }
    const created = await engine.call('createMigration', {
      draft,
      migrationName: name,
      migrationsList: readMigrationsList(target.migrationsDir),
      schema,
      filters,
    });
    if (created.migrationScript === null) return null;
    const migrationName = folderName ?? created.generatedMigrationName;
    const dir = join(target.migrationsDir, migrationName);
    if (existsSync(dir)) throw new Error(`the migration directory already exists at ${dir}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `migration.${created.extension}`), created.migrationScript, 'utf8');
    // Byte for byte what the Prisma CLI writes (prisma/build/cli.js, writeMigrationLockfile).
    writeFileSync(
      join(target.migrationsDir, LOCKFILE),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${created.connectorType}"\n`,
      'utf8',
    );
    if (!draft) {
      await engine.call('applyMigrations', { migrationsList: readMigrationsList(target.migrationsDir), filters });
    }
    return { provider: target.provider, migrationName, dir, warnings: dataLoss.warnings.map((w) => w.message) };
  });
}

/**
 * A fresh, empty SQLite database file in a temp folder, for creating migrations or tests.
 * @returns {{ url: string; cleanup: () => void }}
 */
export function scratchSqliteUrl() {
  const dir = mkdtempSync(join(tmpdir(), 'onair-migrate-'));
  return { url: `file:${join(dir, 'scratch.db')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
