// Prisma CLI configuration. The CLI's schema engine is never downloaded here (no network):
// migrations run through Prisma's WebAssembly schema engine in scripts/prisma-migrate.mjs,
// and `prisma generate` only needs PRISMA_SCHEMA_ENGINE_BINARY to point at some file.
//
// On a machine that does have Prisma's native engine, `prisma migrate deploy` works on the same
// databases: DATABASE_URL picks the schema and migrations folder exactly as the scripts do
// (SQLite: prisma/schema.prisma + prisma/migrations; PostgreSQL: the prisma/postgres/ twins).
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';

const url = process.env.DATABASE_URL || 'file:./data/onair.db';
const prismaDir = /^postgres(ql)?:\/\//.test(url) ? 'prisma/postgres' : 'prisma';

export default defineConfig({
  schema: `${prismaDir}/schema.prisma`,
  migrations: { path: `${prismaDir}/migrations` },
  datasource: { url },
});
