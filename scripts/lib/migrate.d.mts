export const PROJECT_ROOT: string;

export type Provider = 'sqlite' | 'postgresql';

export interface MigrationTarget {
  provider: Provider;
  schemaPath: string;
  migrationsDir: string;
}

export interface MigrateOptions {
  /** Resolves relative `file:` URLs (default process.cwd()). */
  cwd?: string;
  /** Project root holding prisma/ (default: this repository). */
  root?: string;
  /** Print the schema engine's log lines to stderr. */
  verbose?: boolean;
}

export interface MigrationsList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  migrationDirectories: Array<{
    path: string;
    migrationFile: { path: string; content: { tag: 'ok'; value: string } | { tag: 'error'; value: string } };
  }>;
  shadowDbInitScript: string;
}

export function migrationTarget(provider: Provider, root?: string): MigrationTarget;
export function readMigrationsList(migrationsDir: string): MigrationsList;

export interface DeployResult {
  provider: Provider;
  migrationsDir: string;
  /** Names of the migrations this call applied (empty when the database was up to date). */
  applied: string[];
}
/** Applies pending migrations of the folder matching the URL's provider. Idempotent. */
export function deployMigrations(databaseUrl: string, options?: MigrateOptions): Promise<DeployResult>;

export interface StatusResult {
  provider: Provider;
  migrations: string[];
  pending: string[];
  upToDate: boolean;
  editedMigrationNames: string[];
  failedMigrationNames: string[];
  hasMigrationsTable: boolean;
  history:
    | { diagnostic: 'databaseIsBehind'; unappliedMigrationNames: string[] }
    | { diagnostic: 'migrationsDirectoryIsBehind'; unpersistedMigrationNames: string[] }
    | { diagnostic: 'historiesDiverge'; lastCommonMigrationName: string | null; unpersistedMigrationNames: string[]; unappliedMigrationNames: string[] }
    | null;
}
export function migrationStatus(databaseUrl: string, options?: MigrateOptions): Promise<StatusResult>;

/** SQL from `from` to the current schema; '' when there is nothing to do. */
export function diffToSchema(databaseUrl: string, from: 'empty' | 'migrations', options?: MigrateOptions): Promise<string>;

export interface CreateMigrationOptions extends MigrateOptions {
  name: string;
  folderName?: string;
  draft?: boolean;
}
export interface CreateMigrationResult {
  provider: Provider;
  migrationName: string;
  dir: string;
  warnings: string[];
}
export function createMigration(databaseUrl: string, options: CreateMigrationOptions): Promise<CreateMigrationResult | null>;

export function scratchSqliteUrl(): { url: string; cleanup: () => void };
