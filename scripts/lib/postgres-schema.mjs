// @ts-check
// The PostgreSQL schema is the SQLite schema with two lines changed: the provider and where the
// generated client goes. Deriving it (instead of keeping two hand-edited files) keeps them in step.
/**
 * @param {string} sqliteSchemaText prisma/schema.prisma
 * @returns {string} prisma/postgres/schema.prisma
 */
export function derivePostgresSchema(sqliteSchemaText) {
  const header = '// GENERATED from ../schema.prisma by scripts/prisma-generate.mjs. Do not edit.\n';
  const derived = sqliteSchemaText
    .replace(/provider(\s*)= "sqlite"/, 'provider$1= "postgresql"')
    .replace(/output(\s*)= "..\/lib\/generated\/sqlite"/, 'output$1= "../../lib/generated/postgres"');
  if (!derived.includes('"postgresql"') || !derived.includes('lib/generated/postgres')) {
    throw new Error('cannot derive the PostgreSQL schema: the provider or output line of prisma/schema.prisma changed');
  }
  return header + derived;
}
