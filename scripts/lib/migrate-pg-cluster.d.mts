export const DEFAULT_PG_BIN_DIR: string;

export interface PostgresCluster {
  /** `postgresql://postgres@127.0.0.1:PORT/<database>` (trust authentication, loopback only). */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server and deletes the cluster's files. Safe to call twice. */
  stop(): Promise<void>;
}

export function startPostgresCluster(options?: { binDir?: string; database?: string }): Promise<PostgresCluster>;
