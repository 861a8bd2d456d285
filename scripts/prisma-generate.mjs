#!/usr/bin/env node
// @ts-check
// Generates both Prisma clients (SQLite default + PostgreSQL twin) offline.
// prisma/postgres/schema.prisma is derived from prisma/schema.prisma here, so the two never drift.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePostgresSchema } from './lib/postgres-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteSchema = join(root, 'prisma', 'schema.prisma');
const postgresSchema = join(root, 'prisma', 'postgres', 'schema.prisma');

const derived = derivePostgresSchema(readFileSync(sqliteSchema, 'utf8'));
mkdirSync(dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, derived);

// `prisma generate` needs no schema engine, but the CLI insists on finding one; any file will do.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const prismaBin = join(root, 'node_modules', 'prisma', 'build', 'index.js');
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prismaBin, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
}
