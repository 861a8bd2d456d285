// @ts-check
// One reading of DATABASE_URL for the app (lib/db.ts) and the migration scripts
// (scripts/prisma-migrate.mjs), so both always open the same database. Plain JavaScript so the
// scripts need no TypeScript tooling at run time.
//   file:./data/onair.db   SQLite; a relative path is resolved against `cwd` (the project root when
//                          run through npm scripts), not against the schema file as Prisma 6 did.
//   file:/abs/path.db      SQLite, absolute.
//   postgres://… | postgresql://…  PostgreSQL; a `?schema=name` parameter selects the schema.
import { isAbsolute, resolve } from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/onair.db';

/**
 * @typedef {object} SqliteDatabaseUrl
 * @property {'sqlite'} provider
 * @property {string} filePath Absolute path of the database file, or ':memory:'.
 * @property {string} url `file:<absolute path>`.
 */

/**
 * @typedef {object} PostgresDatabaseUrl
 * @property {'postgresql'} provider
 * @property {string} url
 * @property {string} connectionString The URL without Prisma's `schema` parameter, for pg.
 * @property {string | undefined} schema
 * @property {string} host
 * @property {number} port
 * @property {string} user
 * @property {string} password
 * @property {string} database
 */

/** @typedef {SqliteDatabaseUrl | PostgresDatabaseUrl} DatabaseUrl */

/**
 * @param {string} [url]
 * @param {string} [cwd]
 * @returns {DatabaseUrl}
 */
export function parseDatabaseUrl(url = DEFAULT_DATABASE_URL, cwd = process.cwd()) {
  if (url.startsWith('file:')) {
    // Query parameters (`?connection_limit=1` from older Prisma docs) mean nothing to better-sqlite3.
    const raw = decodeURIComponent(url.slice('file:'.length).split('?')[0] ?? '');
    if (raw === '') throw new Error('DATABASE_URL "file:" has no path');
    if (raw === ':memory:') return { provider: 'sqlite', filePath: ':memory:', url: 'file::memory:' };
    const filePath = isAbsolute(raw) ? raw : resolve(cwd, raw);
    return { provider: 'sqlite', filePath, url: `file:${filePath}` };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed;
    try {
      // libpq allows an empty host (`postgresql://user@/db?host=/run/postgresql`, a socket
      // directory); WHATWG URL does not, so a placeholder host stands in (the host parameter wins).
      parsed = new URL(url.replace(/^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)(?=[/?#]|$)/, '$1localhost'));
    } catch {
      throw new Error('DATABASE_URL is not a valid postgres:// URL');
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    // The schema name ends up in a search_path startup option and in SQL identifiers.
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new Error('DATABASE_URL ?schema= must be a plain identifier (letters, digits, _; at most 63)');
    }
    // `schema` is Prisma's parameter, not libpq's: hand it to the adapter, not to pg.
    parsed.searchParams.delete('schema');
    return {
      provider: 'postgresql',
      url,
      connectionString: parsed.toString(),
      schema,
      // libpq style `?host=/run/postgresql` names a socket directory.
      host: parsed.searchParams.get('host') ?? (decodeURIComponent(parsed.hostname) || 'localhost'),
      port: parsed.port === '' ? 5432 : Number(parsed.port),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username),
    };
  }
  // Never echo the URL: it may carry a password.
  throw new Error('DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)');
}
