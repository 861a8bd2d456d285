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
// The build: `ensureNextBuild()` is `npm start`'s own builder (scripts/lib/build-if-needed.mjs):
// `next build` under `flock` when <NEXT_DIST_DIR>/BUILD_ID (default `.next`) is older than its
// sources. Parallel test files wait on the lock; whoever gets it second finds the build current.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { createDb } from '../../lib/db';
import { hashPassword } from '../../lib/passwords';
import { buildIfNeeded, nextBuildTask, nextDistDir } from '../../scripts/lib/build-if-needed.mjs';
import { createTestDatabase } from './database.js';

export const TEST_ADMIN = 'site_admin';
export const TEST_ADMIN_PASSWORD = 'admin password for tests';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const webServer = join(root, 'scripts', 'web-server.mjs');

export interface WebApp {
  url: string;
  port: number;
  databaseUrl: string;
  callbackSecret: string;
  nextAuthSecret: string;
  mediaServerApiToken: string;
  callbackUrl(endpoint: 'on-publish' | 'on-publish-done' | 'on-update' | 'on-play' | 'on-play-done' | 'on-record-done'): string;
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

/** Builds the web app when stale; the build's output is kept and reported only if it fails. */
export async function ensureNextBuild(): Promise<void> {
  await buildIfNeeded(nextBuildTask(root, process.env), { output: 'capture' });
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
    NEXT_DIST_DIR: nextDistDir(),
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
