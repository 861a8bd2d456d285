export const DEFAULT_DATABASE_URL: string;

export interface SqliteDatabaseUrl {
  provider: 'sqlite';
  /** Absolute path of the database file, or ':memory:'. */
  filePath: string;
  /** `file:<absolute path>`. */
  url: string;
}

export interface PostgresDatabaseUrl {
  provider: 'postgresql';
  url: string;
  /** The URL without Prisma's `schema` parameter, for pg. */
  connectionString: string;
  schema: string | undefined;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export type DatabaseUrl = SqliteDatabaseUrl | PostgresDatabaseUrl;

export function parseDatabaseUrl(url?: string, cwd?: string): DatabaseUrl;
