#!/usr/bin/env node
// @ts-check
// `npm start`: the whole platform on one machine. Creates DATA_DIR (default ./data: SQLite
// database, generated secrets), applies migrations, builds what is stale, then runs the web app
// and the bundled media server under one supervisor, and prints what a streamer needs once both
// answer. `npm run dev` (--dev) runs both with hot reload instead (no build).
//
// Exit codes: 0 after Ctrl-C / SIGTERM stopped everything; 2 for bad configuration (every setting
// is checked against lib/config/env-schema.mjs before anything starts, naming the variable and
// the rule); otherwise
// non-zero when a port is taken, migrations or a build failed, or the web app or the media server died.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded, mediaServerBuildTask, nextBuildTask } from './lib/build-if-needed.mjs';
import { mediaServerBin, mediaServerLaunch } from './lib/media-server-node-flags.mjs';
import { busyPorts, checkPlatformEnv, resolvePlatformEnv } from './lib/platform-env.mjs';
import { supervise } from './lib/supervisor.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');
/** @param {string} line */
const log = (line) => console.log(`[onair] ${line}`);
/** @type {(message: string, code?: number) => never} */
const fail = (message, code = 1) => {
  console.error(`[onair] ${message}`);
  process.exit(code);
};

/** @type {import('./lib/platform-env.mjs').PlatformEnv} */
let env;
try {
  env = resolvePlatformEnv(root);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 2);
}
// OnAir promises no calls to the outside: Next.js telemetry is off for the build and the server.
env.NEXT_TELEMETRY_DISABLED = '1';
const problems = checkPlatformEnv(env);
if (problems.length > 0) fail(`bad configuration (environment or .env):\n  ${problems.join('\n  ')}`, 2);
const bundled = env.MEDIA_SERVER !== 'nginx-rtmp';
const busy = await busyPorts(env, bundled ? ['PORT', 'RTMP_PORT', 'MEDIA_HTTP_PORT'] : ['PORT']);
if (busy.length > 0) {
  fail(`already in use: ${busy.join(', ')} (is OnAir already running? set other ports in the environment or .env)`);
}
log(`data folder: ${resolve(root, env.DATA_DIR)}`);

log('applying database migrations');
try {
  execFileSync(process.execPath, [join(root, 'scripts', 'prisma-migrate.mjs'), 'deploy'], { cwd: root, env, stdio: 'inherit' });
} catch {
  fail('database migrations failed (see above); nothing was started');
}

if (!dev) {
  try {
    await buildIfNeeded(nextBuildTask(root, env), { log });
    if (bundled) await buildIfNeeded(mediaServerBuildTask(root, env), { log });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}; nothing was started`);
  }
}

const callbackBase = `http://127.0.0.1:${env.PORT}/api/rtmp`;
const secret = encodeURIComponent(env.RTMP_CALLBACK_SECRET);
const mediaArgs = ['--rtmp-port', env.RTMP_PORT, '--http-port', env.MEDIA_HTTP_PORT, '--app', env.RTMP_APP];
// The callback URLs carry the secret: they go through the environment, never the command line
// (which `ps` shows to every user, and `node --watch` prints on each restart).
/** @type {NodeJS.ProcessEnv} */
const mediaEnv = {
  ...env,
  ON_PUBLISH_URL: `${callbackBase}/on-publish?secret=${secret}`,
  ON_PUBLISH_DONE_URL: `${callbackBase}/on-publish-done?secret=${secret}`,
  ON_RECORD_DONE_URL: `${callbackBase}/on-record-done?secret=${secret}`,
  ON_PLAY_URL: `${callbackBase}/on-play?secret=${secret}`,
  ON_PLAY_DONE_URL: `${callbackBase}/on-play-done?secret=${secret}`,
};
// The session-signing secret is the web app's alone.
delete mediaEnv.NEXTAUTH_SECRET;

/** @type {import('./lib/supervisor.mjs').ProcessSpec[]} */
const specs = [
  {
    name: 'web',
    command: process.execPath,
    // Our own HTTP server around Next's handler: it knows the socket address (scripts/web-server.mjs).
    args: [join(root, 'scripts', 'web-server.mjs'), '--port', env.PORT, ...(dev ? ['--dev'] : [])],
    env: { ...env, NODE_ENV: dev ? 'development' : 'production' },
    cwd: root,
  },
];
if (bundled) {
  const launch = mediaServerLaunch(root);
  specs.push({
    name: 'media-server',
    command: process.execPath,
    // The flags and environment of the bin's shebang: spawning `node <bin>` would not apply them.
    args: dev
      ? [...launch.nodeFlags, '--import', 'tsx', '--watch', join(root, 'media-server', 'src', 'main.ts'), ...mediaArgs]
      : [...launch.nodeFlags, mediaServerBin(root), ...mediaArgs],
    env: { ...mediaEnv, ...launch.env },
    cwd: root,
  });
}

// Stop requests: our own SIGINT/SIGTERM, and, under `npm start`, npm going away. `kill <npm pid>`
// ends npm and its `sh -c` wrapper but not us; left alone we would keep both servers running
// with nobody to stop them. (Started directly, e.g. under nohup, we stay when our parent leaves.)
const stopRequests = new EventEmitter();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopRequests.emit(signal, signal));
/** @type {NodeJS.Timeout | undefined} */
let parentWatch;
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid;
  parentWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(parentWatch);
    log('npm exited');
    stopRequests.emit('SIGTERM', 'SIGTERM');
  }, 500);
}

let supervising = true;
const done = supervise(specs, { log, signals: stopRequests, onStarted: (name, pid) => log(`${name} started (pid ${pid})`) });
void done.then(() => {
  supervising = false;
  clearInterval(parentWatch);
});

// Ready means answering HTTP: the web app's home page, the media server's /healthz.
const probes = [`http://127.0.0.1:${env.PORT}/`];
if (bundled) probes.push(`http://127.0.0.1:${env.MEDIA_HTTP_PORT}/healthz`);
const ready = await Promise.all(probes.map((url) => waitForHttp(url, () => supervising)));
if (ready.every(Boolean)) printBanner();

process.exitCode = await done;

/**
 * Polls `url` until it answers (any status), or `keepGoing()` turns false.
 * @param {string} url
 * @param {() => boolean} keepGoing
 * @returns {Promise<boolean>} whether it answered
 */
async function waitForHttp(url, keepGoing) {
  while (keepGoing()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
      await response.body?.cancel();
      return true;
    } catch {
      // Not listening yet (or busy compiling in dev): try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Addresses other machines on the LAN may reach this one at. */
function lanAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined)
    .filter((info) => info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
}

function printBanner() {
  const webUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const host = new URL(webUrl).hostname;
  const lan = env.PUBLIC_URL ? [] : lanAddresses();
  log(`ready${dev ? ' (dev mode: hot reload)' : ''}`);
  log(`  web app:      ${webUrl}${lan.length > 0 ? `  (from other machines: ${lan.map((a) => `http://${a}:${env.PORT}`).join(', ')})` : ''}`);
  if (bundled) {
    const rtmpUrl = env.PUBLIC_RTMP_URL ?? `rtmp://${host}:${env.RTMP_PORT}/${env.RTMP_APP}`;
    const hlsUrl = env.PUBLIC_HLS_URL ?? `http://${host}:${env.MEDIA_HTTP_PORT}/${env.RTMP_APP}`;
    log(`  RTMP server:  ${rtmpUrl}  (OBS: Settings -> Stream -> Service: Custom -> Server)`);
    log(`  HLS:          ${hlsUrl}  (what viewers' players load)`);
  } else {
    log('  RTMP server:  MEDIA_SERVER=nginx-rtmp: not starting the bundled media server (see README, "nginx-rtmp")');
  }
  log(`  stream key:   sign up at ${webUrl}/signup, then Dashboard -> Stream setup -> Create stream key`);
  log('  accounts:     the first one (the admin) only through the one-time setup link printed above; then by invite from /admin (README: Registration and admin)');
  log('Ctrl-C stops everything.');
}
