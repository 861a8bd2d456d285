import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../../lib/config/database-url.mjs';

describe('parseDatabaseUrl', () => {
  const cases = [
    { name: 'default-style relative SQLite path, resolved against cwd', url: 'file:./data/onair.db', value: { provider: 'sqlite', filePath: '/srv/onair/data/onair.db', url: 'file:/srv/onair/data/onair.db' } },
    { name: 'bare relative SQLite path', url: 'file:dev.db', value: { provider: 'sqlite', filePath: '/srv/onair/dev.db', url: 'file:/srv/onair/dev.db' } },
    { name: 'absolute SQLite path with legacy query parameters', url: 'file:/var/lib/onair/db.sqlite?connection_limit=1', value: { provider: 'sqlite', filePath: '/var/lib/onair/db.sqlite', url: 'file:/var/lib/onair/db.sqlite' } },
    { name: 'in-memory SQLite', url: 'file::memory:', value: { provider: 'sqlite', filePath: ':memory:', url: 'file::memory:' } },
    {
      name: 'postgresql URL with password, port and Prisma schema parameter',
      url: 'postgresql://onair:p%40ss@db.internal:6543/onair?schema=live&sslmode=disable',
      value: { provider: 'postgresql', url: 'postgresql://onair:p%40ss@db.internal:6543/onair?schema=live&sslmode=disable', connectionString: 'postgresql://onair:p%40ss@db.internal:6543/onair?sslmode=disable', schema: 'live', host: 'db.internal', port: 6543, user: 'onair', password: 'p@ss', database: 'onair' },
    },
    {
      name: 'postgres:// URL with defaults',
      url: 'postgres://alice@localhost/',
      value: { provider: 'postgresql', url: 'postgres://alice@localhost/', connectionString: 'postgres://alice@localhost/', schema: undefined, host: 'localhost', port: 5432, user: 'alice', password: '', database: 'alice' },
    },
    {
      name: 'socket directory given as host parameter',
      url: 'postgresql://postgres@/onair?host=/run/postgresql',
      value: { provider: 'postgresql', url: 'postgresql://postgres@/onair?host=/run/postgresql', connectionString: 'postgresql://postgres@localhost/onair?host=%2Frun%2Fpostgresql', schema: undefined, host: '/run/postgresql', port: 5432, user: 'postgres', password: '', database: 'onair' },
    },
  ];
  for (const { name, url, value } of cases) {
    it(name, () => assert.deepEqual(parseDatabaseUrl(url, '/srv/onair'), value));
  }

  const invalid = [
    { name: 'MySQL', url: 'mysql://root:secret@localhost/onair', error: /must start with file:/ },
    { name: 'empty file path', url: 'file:', error: /has no path/ },
    { name: 'bare path without file:', url: './data/onair.db', error: /must start with file:/ },
    { name: 'a schema name that is not a plain identifier', url: 'postgresql://u:secret@h/db?schema=a%22b', error: /schema= must be a plain identifier/ },
    { name: 'malformed postgres URL', url: 'postgresql://user:secret@[bad/onair', error: /not a valid postgres/ },
  ];
  for (const { name, url, error } of invalid) {
    it(`rejects ${name} without echoing the URL`, () => {
      assert.throws(() => parseDatabaseUrl(url, '/srv/onair'), (thrown: unknown) => {
        assert.ok(thrown instanceof Error);
        assert.match(thrown.message, error);
        assert.doesNotMatch(thrown.message, /secret/);
        return true;
      });
    });
  }
});
