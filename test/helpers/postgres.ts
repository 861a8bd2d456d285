// A real PostgreSQL 15 server for tests: a throwaway cluster (initdb into a temp folder owned by the
// `postgres` user, pg_ctl on 127.0.0.1 and a random free port), never a system service.
// The cluster code lives in scripts/lib/migrate-pg-cluster.mjs because `npm run db:migrate` uses it too.
import { startPostgresCluster } from '../../scripts/lib/migrate-pg-cluster.mjs';
import type { PostgresCluster } from '../../scripts/lib/migrate-pg-cluster.mjs';

export type { PostgresCluster };

/**
 * Starts a cluster of its own; `url` is a superuser `postgresql://` URL (trust auth, loopback).
 * Call `stop()` in `after` — it stops the server and deletes its files (a process exit does too).
 */
export function startPostgres(options: { database?: string } = {}): Promise<PostgresCluster> {
  return startPostgresCluster(options);
}

let shared: { cluster: Promise<PostgresCluster>; users: number } | undefined;

/**
 * One cluster shared by everything in this test process that asks for it (each test file runs in
 * its own process), started on first use and stopped when the last user releases it. Tests that
 * share it keep apart by using their own database (see createTestDatabase).
 * With TEST_POSTGRES_URL set, that server is used instead and nothing is started.
 */
export async function acquireSharedPostgres(): Promise<{ cluster: Pick<PostgresCluster, 'url'>; release: () => Promise<void> }> {
  // A machine without the PostgreSQL 15 binaries (or a CI job with a PostgreSQL service) can name
  // a server instead; its user needs CREATEDB, as each test gets its own database.
  const external = process.env.TEST_POSTGRES_URL;
  if (external) return { cluster: { url: external }, release: async () => {} };
  if (!shared) {
    const entry = { cluster: startPostgresCluster(), users: 0 };
    shared = entry;
    // A failed start must not poison later attempts.
    entry.cluster.catch(() => {
      if (shared === entry) shared = undefined;
    });
  }
  const entry = shared;
  entry.users += 1;
  let cluster: PostgresCluster;
  try {
    cluster = await entry.cluster;
  } catch (error) {
    entry.users -= 1;
    throw error;
  }
  let released = false;
  return {
    cluster,
    async release() {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users === 0 && shared === entry) {
        shared = undefined;
        await cluster.stop();
      }
    },
  };
}
