// `npm run db:migrate -- --name X` end to end, in a copy of the project (so the real migrations
// folders stay untouched): a schema edit becomes a SQLite migration and its PostgreSQL twin (made
// in a throwaway PostgreSQL 15 cluster the script starts itself), applied to DATABASE_URL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../../scripts/lib/migrate.mjs';

const execFileAsync = promisify(execFile);

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('npm run db:migrate (scripts/prisma-migrate.mjs dev)', () => {
  let copy: string;
  let env: NodeJS.ProcessEnv;
  const migrate = (...args: string[]) =>
    execFileAsync(process.execPath, [join(copy, 'scripts', 'prisma-migrate.mjs'), ...args], { cwd: copy, env, timeout: 300_000 });

  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'onair-migrate-dev-'));
    // lib/config: the DATABASE_URL rules the scripts share with the app.
    for (const entry of ['prisma', 'scripts', join('lib', 'config'), 'package.json', 'prisma.config.ts']) {
      cpSync(join(PROJECT_ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
    // MIGRATE_POSTGRES_URL unset: the script must start its own PostgreSQL.
    env = { ...process.env, DATABASE_URL: 'file:./data/dev.db', MIGRATE_POSTGRES_URL: '' };
  });

  after(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('refuses to run without a migration name', async () => {
    await assert.rejects(migrate('dev'), (error: unknown) => {
      assert.ok(error instanceof Error && 'code' in error && 'stderr' in error);
      assert.equal(error.code, 1);
      assert.match(String(error.stderr), /dev needs --name NAME/);
      return true;
    });
  });

  it('turns a schema edit into twin migrations for SQLite and PostgreSQL and applies it', async (t) => {
    const before = folders(join(copy, 'prisma', 'migrations'));
    const schemaPath = join(copy, 'prisma', 'schema.prisma');
    const schema = readFileSync(schemaPath, 'utf8');
    const edited = schema.replace(/^  category( +)String\?\n/m, '  category$1String?\n  tags$1String   @default("")\n');
    assert.notEqual(edited, schema, 'the test could not edit the schema');
    writeFileSync(schemaPath, edited);

    const started = performance.now();
    const { stdout } = await migrate('dev', '--name', 'add_tags');
    t.diagnostic(`dev --name add_tags (generate, SQLite + PostgreSQL cluster, deploy): ${Math.round(performance.now() - started)} ms`);

    const sqliteFolders = folders(join(copy, 'prisma', 'migrations'));
    const postgresFolders = folders(join(copy, 'prisma', 'postgres', 'migrations'));
    const added = sqliteFolders.filter((name) => !before.includes(name));
    assert.equal(added.length, 1);
    const name = added[0] ?? '';
    assert.match(name, /^\d{14}_add_tags$/);
    assert.deepEqual(postgresFolders, sqliteFolders);
    assert.match(stdout, new RegExp(`created prisma/migrations/${name}/migration.sql`));
    assert.match(stdout, new RegExp(`created prisma/postgres/migrations/${name}/migration.sql`));

    const sqliteSql = readFileSync(join(copy, 'prisma', 'migrations', name, 'migration.sql'), 'utf8');
    const postgresSql = readFileSync(join(copy, 'prisma', 'postgres', 'migrations', name, 'migration.sql'), 'utf8');
    assert.match(sqliteSql, /"tags" TEXT NOT NULL DEFAULT ''/);
    assert.match(postgresSql, /ALTER TABLE "Channel" ADD COLUMN\s+"tags" TEXT NOT NULL DEFAULT ''/);
    // The PostgreSQL schema was re-derived before its migration was made.
    assert.match(readFileSync(join(copy, 'prisma', 'postgres', 'schema.prisma'), 'utf8'), /tags\s+String/);

    // Applied to DATABASE_URL (relative to the working directory).
    const db = new Database(join(copy, 'data', 'dev.db'), { readonly: true });
    try {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('Channel')`).all() as Array<{ name: string }>).map((c) => c.name);
      assert.ok(columns.includes('tags'));
      const applied = (db.prepare('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name').all() as Array<{ migration_name: string }>).map((r) => r.migration_name);
      assert.deepEqual(applied, sqliteFolders);
    } finally {
      db.close();
    }
  });

  it('creates nothing when the schema has not changed', async () => {
    const before = folders(join(copy, 'prisma', 'postgres', 'migrations'));
    const { stdout } = await migrate('dev', '--name', 'nothing', '--create-only', '--skip-generate');
    assert.match(stdout, /no schema changes: no migration created/);
    assert.deepEqual(folders(join(copy, 'prisma', 'postgres', 'migrations')), before);
  });
});
