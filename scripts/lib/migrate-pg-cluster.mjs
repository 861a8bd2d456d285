// @ts-check
// A throwaway PostgreSQL cluster: initdb into a temp folder, postgres on 127.0.0.1 and a random
// free port, removed again by stop(). Used by `npm run db:migrate` (to produce the PostgreSQL twin
// of a migration without a PostgreSQL server) and by the tests (test/helpers/postgres.ts).
// Never a system service: nothing outside the temp folder is touched.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * @typedef {object} PostgresCluster
 * @property {string} url `postgresql://postgres@127.0.0.1:PORT/<database>` (trust authentication, loopback only).
 * @property {number} port
 * @property {string} dataDir
 * @property {() => Promise<void>} stop Stops the server and deletes the cluster's files. Safe to call twice.
 */

export const DEFAULT_PG_BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/**
 * A port the kernel just handed out on 127.0.0.1 (another process may still take it; start retries).
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * PostgreSQL refuses to run as root. When we are root, the cluster belongs to the `postgres`
 * system user and its commands run through runuser; otherwise they run as ourselves.
 * @param {string | undefined} owner
 * @param {string} binary
 * @param {string[]} args
 * @returns {[string, string[]]} file and argv
 */
function commandAs(owner, binary, args) {
  return owner === undefined ? [binary, args] : ['runuser', ['-u', owner, '--', binary, ...args]];
}

/** @param {string} name */
function systemUserIds(name) {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`running as root needs a "${name}" system user to own the PostgreSQL cluster`);
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * @param {string | undefined} owner
 * @param {string} binary
 * @param {string[]} args
 * @param {string} what names the step in the error
 */
async function run(owner, binary, args, what) {
  const [file, argv] = commandAs(owner, binary, args);
  try {
    return await execFileAsync(file, argv, { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 });
  } catch (error) {
    const stderr = error !== null && typeof error === 'object' && 'stderr' in error && typeof error.stderr === 'string' ? error.stderr.trim() : '';
    throw new Error(`${what} failed: ${stderr || (error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
}

/**
 * Starts a cluster and returns its superuser URL (`postgresql://postgres@127.0.0.1:PORT/postgres`,
 * trust authentication on loopback) and `stop()`, which stops the server and deletes its files.
 * Durability is switched off (fsync, synchronous_commit): the data lives only as long as the test.
 * @param {{ binDir?: string; database?: string }} [options]
 * @returns {Promise<PostgresCluster>}
 */
export async function startPostgresCluster({ binDir = DEFAULT_PG_BIN_DIR, database = 'postgres' } = {}) {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(binDir, tool))) throw new Error(`PostgreSQL binaries not found: ${join(binDir, tool)} (set PG_BIN_DIR)`);
  }
  const owner = process.getuid?.() === 0 ? 'postgres' : undefined;
  const root = mkdtempSync(join(tmpdir(), 'onair-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  let started = false;
  const stopSync = () => {
    if (started) {
      const [file, argv] = commandAs(owner, join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
      started = false;
    }
    rmSync(root, { recursive: true, force: true });
  };
  // A test runner that exits without calling stop() must not leave a postgres running.
  process.once('exit', stopSync);
  try {
    if (owner !== undefined) {
      const { uid, gid } = systemUserIds(owner);
      chownSync(root, uid, gid);
    }
    await run(owner, join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], 'initdb');
    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${root}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=100',
      ].join(' ');
      try {
        await run(owner, join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'], 'pg_ctl start');
        started = true;
      } catch (error) {
        // The usual cause is another process taking the port between freePort() and bind.
        if (attempt >= 3) {
          const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
          throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`, { cause: error });
        }
      }
    }
    const url = `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    if (database !== 'postgres') {
      await run(owner, join(binDir, 'psql'), ['-h', root, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `CREATE DATABASE "${database}"`], 'CREATE DATABASE');
    }
    return {
      url,
      port,
      dataDir,
      /** Stops the server (immediate shutdown) and deletes the cluster. Safe to call twice. */
      async stop() {
        process.removeListener('exit', stopSync);
        if (started) {
          await run(owner, join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], 'pg_ctl stop');
          started = false;
        }
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw error;
  }
}
