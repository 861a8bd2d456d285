import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { derivePostgresSchema } from '../../../scripts/lib/postgres-schema.mjs';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('PostgreSQL schema twin', () => {
  it('is the SQLite schema with only provider and client output changed', () => {
    assert.equal(read('prisma/postgres/schema.prisma'), derivePostgresSchema(read('prisma/schema.prisma')));
  });

  it('changes exactly the two lines', () => {
    const sqlite = read('prisma/schema.prisma').split('\n');
    const postgres = derivePostgresSchema(read('prisma/schema.prisma')).split('\n').slice(1);
    const changed = sqlite.filter((line, i) => line !== postgres[i]);
    assert.deepEqual(changed.map((l) => l.trim()), ['output       = "../lib/generated/sqlite"', 'provider = "sqlite"']);
  });

  it('refuses a schema whose provider line it cannot find', () => {
    assert.throws(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}\n'), /cannot derive/);
  });
});
