// Rebuild only what is older than its sources, so a second `npm start` starts in seconds, and
// never two builds of the same output at once: the build runs under `flock` on a lock file, and
// the staleness check is repeated once the lock is held (whoever waited finds the build current).
//
// The Next.js build uses the same sources, the same output (<NEXT_DIST_DIR>/BUILD_ID) and the same
// lock file as test/helpers/web-app.ts, so `npm start` and the tests share one build of `.next`
// instead of racing each other.
//
// CLI mode (what runs under the lock): `node scripts/lib/build-if-needed.mjs --locked '<json BuildTask>'`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const IGNORED = new Set(['node_modules', 'generated', '.next', 'dist', 'data', '.git']);

/** What `next build` reads (lib/generated is regenerated on install and does not count). */
export const NEXT_BUILD_SOURCES = ['app', 'lib', 'prisma', 'next.config.js', 'instrumentation.ts'];
/** What `tsc -p media-server/tsconfig.build.json` reads. */
export const MEDIA_SERVER_BUILD_SOURCES = ['media-server/src', 'media-server/tsconfig.json', 'media-server/tsconfig.build.json'];

/** Next's output folder: NEXT_DIST_DIR like next.config.js, default `.next`. */
export function nextDistDir(env = process.env) {
  return env.NEXT_DIST_DIR || '.next';
}

/** The lock file test/helpers/web-app.ts takes around `next build` for the same dist folder. */
export function nextBuildLockFile(distDir) {
  return join('/tmp', `onair-next-build-${distDir.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
}

/** Newest modification time (ms) of any file below the given paths. */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (!IGNORED.has(entry)) visit(join(path, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}

/** True when `output` is missing or older than the newest file of `sources`. */
export function isStale(output, sources) {
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < newestMtime(sources);
}

/**
 * Builds `task` when its output is stale, holding `task.lockFile` (flock) while checking again and
 * building. Returns 'current' (nothing to do, or someone else built it while we waited) or 'built'.
 * Throws when the build fails.
 * @param {import('./build-if-needed.d.mts').BuildTask} task
 * @param {{ log: (line: string) => void }} options
 */
export function buildIfNeeded(task, { log }) {
  if (!isStale(task.output, task.sources)) return 'current';
  log(task.message);
  const self = fileURLToPath(import.meta.url);
  // The environment reaches the locked step as its environment, never on the command line
  // (it carries the generated secrets, and argv is visible to every user of the machine).
  const { env, ...rest } = task;
  const locked = [process.execPath, self, '--locked', JSON.stringify(rest)];
  let result = spawnSync('flock', [task.lockFile, ...locked], { cwd: task.cwd, env, stdio: 'inherit' });
  if (result.error && 'code' in result.error && result.error.code === 'ENOENT') {
    log('flock(1) is not installed: building without a lock (do not start two copies at once)');
    result = spawnSync(process.execPath, locked.slice(1), { cwd: task.cwd, env, stdio: 'inherit' });
  }
  if (result.error) throw new Error(`${task.name}: could not run the build: ${result.error.message}`);
  if (result.status === LOCKED_CURRENT) return 'current';
  if (result.status !== 0) throw new Error(`${task.name}: build failed (${result.signal ? `signal ${result.signal}` : `exit code ${result.status}`})`);
  return 'built';
}

/** Exit status of the locked step meaning "became current while we waited for the lock". */
const LOCKED_CURRENT = 3;

/** The part that runs under the lock (with the task's environment as its own). */
function lockedBuild(task) {
  if (!isStale(task.output, task.sources)) return LOCKED_CURRENT;
  const result = spawnSync(task.command, task.args, { cwd: task.cwd, stdio: 'inherit' });
  if (result.error) {
    console.error(`${task.name}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

/** A build task for `next build` in `root`. */
export function nextBuildTask(root, env) {
  const distDir = nextDistDir(env);
  return {
    name: 'web app',
    message: 'building the web app (first start, or sources changed; takes a minute or two)',
    output: join(resolve(root, distDir), 'BUILD_ID'),
    sources: NEXT_BUILD_SOURCES.map((p) => join(root, p)),
    lockFile: nextBuildLockFile(distDir),
    command: process.execPath,
    args: [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    cwd: root,
    env: { ...env, NODE_ENV: 'production', NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
  };
}

/** A build task for the media server's dist/ in `root`. */
export function mediaServerBuildTask(root, env) {
  return {
    name: 'media server',
    message: 'building the media server',
    output: join(root, 'media-server', 'dist', 'main.js'),
    sources: MEDIA_SERVER_BUILD_SOURCES.map((p) => join(root, p)),
    lockFile: join(tmpdir(), 'onair-media-server-build.lock'),
    command: process.execPath,
    args: [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'media-server', 'tsconfig.build.json')],
    cwd: root,
    env,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--locked') {
  process.exitCode = lockedBuild(JSON.parse(process.argv[3] ?? '{}'));
}
