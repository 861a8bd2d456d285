// Prisma CLI configuration. The CLI's schema engine is never downloaded here (no network):
// migrations run through Prisma's WebAssembly schema engine in scripts/prisma-migrate.mjs,
// and `prisma generate` only needs PRISMA_SCHEMA_ENGINE_BINARY to point at some file.
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/onair.db' },
});
