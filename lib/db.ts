// The Prisma client for the whole app (STYLE.md rule 18: Prisma singleton in lib/db.ts).
//
// DATABASE_URL picks the database and with it the generated client and driver adapter:
//   file:…                      SQLite through better-sqlite3  (client: lib/generated/sqlite)
//   postgres:// | postgresql:// PostgreSQL through pg           (client: lib/generated/postgres)
// Both clients come from the same schema (prisma/postgres/schema.prisma is derived from
// prisma/schema.prisma), so app code is written against one type, `Db`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './config/database-url.mjs';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client';
import type * as Pg from './generated/postgres/client';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import type * as Sqlite from './generated/sqlite/client';

/**
 * The client type app code uses, whatever the provider: the SQLite client's type. Code that
 * needs a PostgreSQL-only feature (`mode: 'insensitive'`, list filters) cannot be written
 * through `Db`, which is the point: it would break the SQLite default.
 */
export type Db = SqlitePrismaClient;

// Why a PostgreSQL client may be used as a `Db`. The two generated clients are the same runtime
// class built from the same models, but TypeScript cannot relate their deep generic conditional
// types across two declarations, so a plain assignment does not compile. These compile-time
// checks cover what the conversion in `openPostgres` relies on: the same delegates and methods,
// identical model (result) types, and every SQLite-typed argument accepted by the PostgreSQL
// client. A schema change that breaks one of them fails `tsc`.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Accepts<Wide, Narrow> = [Narrow] extends [Wide] ? true : false;
type Check<T extends true> = T;
export type DbConversionChecks = [
  Check<Same<keyof Pg.PrismaClient, keyof Sqlite.PrismaClient>>,
  Check<Same<keyof Pg.PrismaClient['user'], keyof Sqlite.PrismaClient['user']>>,
  Check<Same<keyof Pg.PrismaClient['account'], keyof Sqlite.PrismaClient['account']>>,
  Check<Same<keyof Pg.PrismaClient['channel'], keyof Sqlite.PrismaClient['channel']>>,
  Check<Same<keyof Pg.PrismaClient['streamSession'], keyof Sqlite.PrismaClient['streamSession']>>,
  Check<Same<Pg.User, Sqlite.User>>,
  Check<Same<Pg.Account, Sqlite.Account>>,
  Check<Same<Pg.Channel, Sqlite.Channel>>,
  Check<Same<Pg.StreamSession, Sqlite.StreamSession>>,
  Check<Same<Pg.Broadcast, Sqlite.Broadcast>>,
  Check<Same<keyof Pg.PrismaClient['broadcast'], keyof Sqlite.PrismaClient['broadcast']>>,
  Check<Accepts<Pg.Prisma.BroadcastFindManyArgs, Sqlite.Prisma.BroadcastFindManyArgs>>,
  Check<Accepts<Pg.Prisma.BroadcastUpsertArgs, Sqlite.Prisma.BroadcastUpsertArgs>>,
  Check<Accepts<Pg.Prisma.BroadcastUpdateArgs, Sqlite.Prisma.BroadcastUpdateArgs>>,
  Check<Accepts<Pg.Prisma.UserFindManyArgs, Sqlite.Prisma.UserFindManyArgs>>,
  Check<Accepts<Pg.Prisma.UserCreateArgs, Sqlite.Prisma.UserCreateArgs>>,
  Check<Accepts<Pg.Prisma.UserUpdateArgs, Sqlite.Prisma.UserUpdateArgs>>,
  Check<Accepts<Pg.Prisma.UserUpsertArgs, Sqlite.Prisma.UserUpsertArgs>>,
  Check<Accepts<Pg.Prisma.AccountFindManyArgs, Sqlite.Prisma.AccountFindManyArgs>>,
  Check<Accepts<Pg.Prisma.AccountCreateArgs, Sqlite.Prisma.AccountCreateArgs>>,
  Check<Accepts<Pg.Prisma.AccountUpsertArgs, Sqlite.Prisma.AccountUpsertArgs>>,
  Check<Accepts<Pg.Prisma.ChannelFindManyArgs, Sqlite.Prisma.ChannelFindManyArgs>>,
  Check<Accepts<Pg.Prisma.ChannelCreateArgs, Sqlite.Prisma.ChannelCreateArgs>>,
  Check<Accepts<Pg.Prisma.ChannelUpdateArgs, Sqlite.Prisma.ChannelUpdateArgs>>,
  Check<Accepts<Pg.Prisma.ChannelUpdateManyArgs, Sqlite.Prisma.ChannelUpdateManyArgs>>,
  Check<Accepts<Pg.Prisma.ChannelUpsertArgs, Sqlite.Prisma.ChannelUpsertArgs>>,
  Check<Accepts<Pg.Prisma.StreamSessionFindManyArgs, Sqlite.Prisma.StreamSessionFindManyArgs>>,
  Check<Accepts<Pg.Prisma.StreamSessionCreateArgs, Sqlite.Prisma.StreamSessionCreateArgs>>,
  Check<Accepts<Pg.Prisma.StreamSessionUpdateArgs, Sqlite.Prisma.StreamSessionUpdateArgs>>,
  Check<Accepts<Pg.Prisma.StreamSessionUpdateManyArgs, Sqlite.Prisma.StreamSessionUpdateManyArgs>>,
  Check<Accepts<Pg.Prisma.TransactionIsolationLevel, Sqlite.Prisma.TransactionIsolationLevel>>,
  Check<Same<keyof Pg.PrismaClient['chatEvent'], keyof Sqlite.PrismaClient['chatEvent']>>,
  Check<Same<keyof Pg.PrismaClient['chatModerator'], keyof Sqlite.PrismaClient['chatModerator']>>,
  Check<Same<keyof Pg.PrismaClient['chatSanction'], keyof Sqlite.PrismaClient['chatSanction']>>,
  Check<Same<Pg.ChatEvent, Sqlite.ChatEvent>>,
  Check<Same<Pg.ChatModerator, Sqlite.ChatModerator>>,
  Check<Same<Pg.ChatSanction, Sqlite.ChatSanction>>,
  Check<Accepts<Pg.Prisma.ChatEventFindManyArgs, Sqlite.Prisma.ChatEventFindManyArgs>>,
  Check<Accepts<Pg.Prisma.ChatEventCreateArgs, Sqlite.Prisma.ChatEventCreateArgs>>,
  Check<Accepts<Pg.Prisma.ChatEventUpdateManyArgs, Sqlite.Prisma.ChatEventUpdateManyArgs>>,
  Check<Accepts<Pg.Prisma.ChatSanctionUpsertArgs, Sqlite.Prisma.ChatSanctionUpsertArgs>>,
  Check<Accepts<Pg.Prisma.ChatModeratorUpsertArgs, Sqlite.Prisma.ChatModeratorUpsertArgs>>,
];

export type { DatabaseUrl } from './config/database-url.mjs';
// Model types and the Prisma namespace (error classes such as Prisma.PrismaClientKnownRequestError,
// input types) for app code. The error classes come from the shared Prisma runtime, so
// `instanceof` holds for errors of both providers (test/lib/db.test.ts checks it).
export { Prisma } from './generated/sqlite/client';
export type { Account, Broadcast, Channel, StreamSession, User } from './generated/sqlite/client';

/**
 * WAL journal + synchronous=NORMAL on every connection: readers (viewer pages) do not block the
 * writer, and a commit costs no fsync of the main file. NORMAL in WAL mode stays consistent after
 * a crash; at most the last commits before a power loss are lost.
 */
const SQLITE_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;';

function withPragmas(factory: PrismaBetterSqlite3): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      await adapter.executeScript(SQLITE_PRAGMAS);
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

function openSqlite(filePath: string): Db {
  if (filePath !== ':memory:') mkdirSync(dirname(filePath), { recursive: true });
  return new SqlitePrismaClient({ adapter: withPragmas(new PrismaBetterSqlite3({ url: filePath })) });
}

function openPostgres(connectionString: string, schema: string | undefined): Db {
  // Without a connect timeout pg waits forever for an unreachable server; 5 s fails the request
  // instead. (A `connect_timeout` in the URL still takes precedence.)
  const adapter = new PrismaPg({ connectionString, connectionTimeoutMillis: 5_000 }, schema === undefined ? undefined : { schema });
  // The one conversion between the two client types, justified by DbConversionChecks above.
  return new PostgresPrismaClient({ adapter }) as unknown as Db;
}

/**
 * A new client for an explicit URL (tests open several databases in one process). The caller
 * owns it and must `$disconnect()` it. Connections are opened lazily, on the first query.
 */
export function createDb(databaseUrl: string): Db {
  const parsed = parseDatabaseUrl(databaseUrl);
  return parsed.provider === 'sqlite' ? openSqlite(parsed.filePath) : openPostgres(parsed.connectionString, parsed.schema);
}

// In development Next.js re-evaluates modules on every edit; keeping the client on globalThis
// stops each reload from opening another connection pool (next-learn's lib/db.ts does the same).
// Production uses globalThis too: Next.js may bundle this module into several server chunks, and
// each copy must still share one client (one pg pool, one SQLite handle).
const globalForDb = globalThis as typeof globalThis & { __onairDb?: { url: string; db: Db } };

/** The shared client for process.env.DATABASE_URL (default `file:./data/onair.db`), created on first use. */
export function getDb(): Db {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const current = globalForDb.__onairDb;
  if (current && current.url === url) return current.db;
  // DATABASE_URL changed (tests do this): the old client is left to its owner to disconnect.
  const entry = { url, db: createDb(url) };
  globalForDb.__onairDb = entry;
  return entry.db;
}
