// The REAL OnAir web app for tests: a production build served by scripts/web-server.mjs (Next's
// handler in our own node:http server, exactly as `npm start` runs it).
//
//   const app = await startWebApp();                       // fresh migrated SQLite database
//   const app = await startWebApp({ databaseUrl, env: { MEDIA_SERVER: 'nginx-rtmp' } });
//   app.url             http://127.0.0.1:<port>  (no trailing slash)
//   app.port            the free port it listens on
//   app.databaseUrl     DATABASE_URL it runs with (open it with createDb() from lib/db.ts)
//   app.callbackSecret  RTMP_CALLBACK_SECRET it runs with (fresh random per app)
//   app.mediaServerApiToken  MEDIA_SERVER_API_TOKEN it runs with (fresh random per app; give it to the media server)
//   app.callbackUrl('on-publish')  ->  <url>/api/rtmp/on-publish?secret=<secret>
//   app.output()        everything the server printed so far (decision logs, errors)
//   app.process         { pid, exited() } of the web server (scripts/web-server.mjs)
//   await app.stop()    kills the server by PID, then deletes the database if startWebApp created it
//
// Defaults in the app's env (override through `env`): NODE_ENV=production, NEXT_TELEMETRY_DISABLED=1,
// NEXTAUTH_SECRET fresh, no NEXTAUTH_URL (next-auth follows the request's host, as under `npm start`
// without PUBLIC_URL), MEDIA_SERVER=bundled, MEDIA_SERVER_API_URL pointing at a free port where
// nothing listens (so no test ever talks to a real media server on the default 8935 by accident),
// REGISTRATION=open (tests of invite/closed mode set their own).
// Sign-up needs an admin to exist (before that only the setup link works), so unless
// `firstAdmin: false` the database gets an admin `TEST_ADMIN` (password TEST_ADMIN_PASSWORD) first.
//
// The build: `ensureNextBuild()` runs `next build` under `flock` when <distDir>/BUILD_ID is missing
// or older than the newest file under app/, lib/ (except lib/generated), prisma/, next.config.js,
// instrumentation.ts. distDir follows NEXT_DIST_DIR (default `.next`), exactly like next.config.js.
// Parallel test files wait on the lock; whoever gets it second finds the build current.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { createDb } from '../../lib/db';
import { hashPassword } from '../../lib/passwords';
import { createTestDatabase } from './database.js';

export const TEST_ADMIN = 'site_admin';
export const TEST_ADMIN_PASSWORD = 'admin password for tests';

const run = promisify(execFile);
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const webServer = join(root, 'scripts', 'web-server.mjs');
const BUILD_SOURCES = ['app', 'lib', 'prisma', 'next.config.js', 'instrumentation.ts'];
const SKIP_DIRS = new Set(['generated', 'node_modules']);

export interface WebApp {
  url: string;
  port: number;
  databaseUrl: string;
  callbackSecret: string;
  nextAuthSecret: string;
  mediaServerApiToken: string;
  callbackUrl(endpoint: 'on-publish' | 'on-publish-done' | 'on-update'): string;
  output(): string;
  /** The web server's process: its pid, and its exit code once it ends. */
  process: Pick<ManagedProcess, 'pid' | 'exited'>;
  stop(): Promise<void>;
}

export interface StartWebAppOptions {
  /** Use this database instead of a fresh SQLite one (which stop() would delete). */
  databaseUrl?: string;
  /** Extra or overriding environment for the server. */
  env?: Record<string, string>;
  /** Milliseconds to wait for the server to listen. */
  startTimeoutMs?: number;
  /** Create the admin TEST_ADMIN before starting, when the database has none (default true). */
  firstAdmin?: boolean;
}

async function ensureAdmin(databaseUrl: string): Promise<void> {
  const db = createDb(databaseUrl);
  try {
    if (await db.user.findFirst({ where: { isAdmin: true }, select: { id: true } })) return;
    await createUserWithChannel(db, { username: TEST_ADMIN, passwordHash: await hashPassword(TEST_ADMIN_PASSWORD), isAdmin: true });
  } finally {
    await db.$disconnect();
  }
}

export function distDir(): string {
  return process.env.NEXT_DIST_DIR ?? '.next';
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (!SKIP_DIRS.has(entry)) newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function isBuildStale(dir = distDir()): boolean {
  const buildId = join(root, dir, 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const sources = Math.max(...BUILD_SOURCES.map((p) => newestMtime(join(root, p))));
  return statSync(buildId).mtimeMs < sources;
}

/** Builds the app when stale. Takes the lock first; the build itself runs in this file's CLI mode. */
export async function ensureNextBuild(): Promise<void> {
  if (!isBuildStale()) return;
  const lock = join('/tmp', `onair-next-build-${distDir().replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
  const self = fileURLToPath(import.meta.url);
  await run('flock', [lock, process.execPath, '--import', 'tsx', self, '--build-if-stale'], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir() },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  }).catch((error: unknown) => {
    const output = error && typeof error === 'object' && 'stdout' in error ? `${String(error.stdout)}\n${String((error as { stderr?: unknown }).stderr)}` : '';
    throw new Error(`next build failed:\n${output.slice(-6000)}`, { cause: error });
  });
}

async function buildIfStaleLocked(): Promise<void> {
  // Re-checked under the lock: another test file may have built while we waited.
  if (!isBuildStale()) return;
  await run(process.execPath, [nextBin, 'build'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', NEXT_DIST_DIR: distDir() },
    maxBuffer: 64 * 1024 * 1024,
  });
}

export async function startWebApp(options: StartWebAppOptions = {}): Promise<WebApp> {
  await ensureNextBuild();
  const database = options.databaseUrl === undefined ? await createTestDatabase('sqlite') : null;
  const databaseUrl = options.databaseUrl ?? database?.url ?? '';
  if (options.firstAdmin ?? true) await ensureAdmin(databaseUrl);
  const port = await freePort();
  const nowhere = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const callbackSecret = randomBytes(24).toString('base64url');
  const nextAuthSecret = randomBytes(32).toString('base64url');
  const mediaServerApiToken = randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: distDir(),
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: nextAuthSecret,
    RTMP_CALLBACK_SECRET: callbackSecret,
    MEDIA_SERVER_API_TOKEN: mediaServerApiToken,
    MEDIA_SERVER: 'bundled',
    MEDIA_SERVER_API_URL: `http://127.0.0.1:${nowhere}/api/streams`,
    REGISTRATION: 'open',
    PORT: String(port),
    ...options.env,
  };
  let server: ManagedProcess;
  try {
    // Nothing from the test runner's environment may decide how the app treats addresses or URLs.
    for (const key of ['NEXTAUTH_URL', 'PUBLIC_URL', 'TRUST_PROXY', 'AUTH_TRUST_HOST']) if (options.env?.[key] === undefined) delete env[key];
    server = startProcess(process.execPath, [webServer, '--host', '127.0.0.1', '--port', String(port)], { cwd: root, env });
    await Promise.race([
      waitForPort(port, options.startTimeoutMs ?? 60_000),
      server.exited().then((code) => {
        throw new Error(`the web server exited with ${code}:\n${server.output().slice(-4000)}`);
      }),
    ]);
  } catch (error) {
    await database?.cleanup();
    throw error;
  }
  const secret = env.RTMP_CALLBACK_SECRET ?? callbackSecret;
  return {
    url,
    port,
    databaseUrl,
    callbackSecret: secret,
    nextAuthSecret: env.NEXTAUTH_SECRET ?? nextAuthSecret,
    mediaServerApiToken: env.MEDIA_SERVER_API_TOKEN ?? mediaServerApiToken,
    callbackUrl: (endpoint) => `${url}/api/rtmp/${endpoint}?secret=${encodeURIComponent(secret)}`,
    output: () => server.output(),
    process: { pid: server.pid, exited: () => server.exited() },
    async stop() {
      await server.stop();
      await database?.cleanup();
    },
  };
}

// CLI mode, used by ensureNextBuild() under flock: `node --import tsx test/helpers/web-app.ts --build-if-stale`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--build-if-stale')) {
  buildIfStaleLocked().then(
    () => process.exit(0),
    (error: unknown) => {
      const e = error as { stdout?: unknown; stderr?: unknown };
      console.error(String(e.stdout ?? ''), String(e.stderr ?? ''), error);
      process.exit(1);
    },
  );
}
