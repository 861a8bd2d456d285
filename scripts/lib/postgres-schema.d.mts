export function derivePostgresSchema(sqliteSchemaText: string): string;
