// @ts-check
// The one builder of OnAir: rebuild only what is older than its sources, so a second `npm start`
// starts in seconds, and never two builds of the same output at once. The build runs under
// `flock` on a lock file, and the staleness check is repeated once the lock is held (whoever
// waited finds the build current).
//
// `npm start` (scripts/start.mjs) and the tests (test/helpers/web-app.ts) both build `.next`
// through nextBuildTask() here: the same sources, ignore set, output (<NEXT_DIST_DIR>/BUILD_ID) and
// lock file, so they share one build instead of racing each other.
//
// CLI mode (what runs under the lock): `node scripts/lib/build-if-needed.mjs --locked '<json BuildTask>'`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * One build: run `command args` in `cwd` with `env` when `output` is older than `sources`.
 * @typedef {object} BuildTask
 * @property {string} name
 * @property {string} message Printed when a build is about to start.
 * @property {string} output
 * @property {string[]} sources
 * @property {string} lockFile
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {NodeJS.ProcessEnv} env
 */

/**
 * @typedef {object} BuildOptions
 * @property {(line: string) => void} [log] Where `task.message` goes. Default: nowhere.
 * @property {'inherit' | 'capture'} [output] The build's own output: this process's stdout/stderr
 *   (npm start), or kept and put into the error when the build fails (tests). Default 'inherit'.
 */

/** Folders below a source that are never sources: dependencies, generated code, build output. */
const IGNORED = new Set(['node_modules', 'generated', '.next', 'dist', 'data', '.git']);

/** How much of a captured build output a failure reports (the end is where the error is). */
const OUTPUT_TAIL_CHARS = 64 * 1024;

/** What `next build` reads (lib/generated is regenerated on install and does not count). */
export const NEXT_BUILD_SOURCES = ['app', 'lib', 'prisma', 'next.config.js', 'instrumentation.ts'];
/** What `tsc -p media-server/tsconfig.build.json` reads. */
export const MEDIA_SERVER_BUILD_SOURCES = ['media-server/src', 'media-server/tsconfig.json', 'media-server/tsconfig.build.json'];

/**
 * Next's output folder: NEXT_DIST_DIR like next.config.js, default `.next`.
 * @param {Record<string, string | undefined>} [env]
 */
export function nextDistDir(env = process.env) {
  return env.NEXT_DIST_DIR || '.next';
}

/**
 * The lock file every `next build` of the same dist folder takes.
 * @param {string} distDir
 */
export function nextBuildLockFile(distDir) {
  return join('/tmp', `onair-next-build-${distDir.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
}

/**
 * Newest modification time (ms) of any file below the given paths.
 * @param {string[]} paths
 */
export function newestMtime(paths) {
  let newest = 0;
  /** @param {string} path */
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

/**
 * True when `output` is missing or older than the newest file of `sources`.
 * @param {string} output
 * @param {string[]} sources
 */
export function isStale(output, sources) {
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < newestMtime(sources);
}

/**
 * Builds `task` when its output is stale, holding `task.lockFile` (flock) while checking again and
 * building. Resolves to 'current' (nothing to do, or someone else built it while we waited) or
 * 'built'; rejects when the build fails (with the end of its output, when captured).
 * @param {BuildTask} task
 * @param {BuildOptions} [options]
 * @returns {Promise<'current' | 'built'>}
 */
export async function buildIfNeeded(task, { log = () => {}, output = 'inherit' } = {}) {
  if (!isStale(task.output, task.sources)) return 'current';
  log(task.message);
  const self = fileURLToPath(import.meta.url);
  // The environment reaches the locked step as its environment, never on the command line
  // (it carries the generated secrets, and argv is visible to every user of the machine).
  const { env, ...rest } = task;
  const locked = [self, '--locked', JSON.stringify(rest)];
  const options = { cwd: task.cwd, env, capture: output === 'capture' };
  let result = await run('flock', [task.lockFile, process.execPath, ...locked], options);
  if (result.error && 'code' in result.error && result.error.code === 'ENOENT') {
    log('flock(1) is not installed: building without a lock (do not start two copies at once)');
    result = await run(process.execPath, locked, options);
  }
  if (result.error) throw new Error(`${task.name}: could not run the build: ${result.error.message}`);
  if (result.status === LOCKED_CURRENT) return 'current';
  if (result.status !== 0) {
    const how = result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
    throw new Error(`${task.name}: build failed (${how})${result.output === '' ? '' : `:\n${result.output}`}`);
  }
  return 'built';
}

/**
 * Runs a command to its end; with `capture`, keeps the end of its stdout and stderr.
 * @param {string} file
 * @param {string[]} args
 * @param {{ cwd: string; env: NodeJS.ProcessEnv; capture: boolean }} options
 * @returns {Promise<{ status: number | null; signal: NodeJS.Signals | null; error?: Error; output: string }>}
 */
function run(file, args, { cwd, env, capture }) {
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, { cwd, env, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    /** @param {Buffer} chunk */
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A spawn failure (ENOENT) emits 'error' before anything else; the first event settles.
    child.once('error', (error) => resolvePromise({ status: null, signal: null, error, output }));
    child.once('close', (status, signal) => resolvePromise({ status, signal, output }));
  });
}

/** Exit status of the locked step meaning "became current while we waited for the lock". */
const LOCKED_CURRENT = 3;

/**
 * The part that runs under the lock (with the task's environment as its own).
 * @param {Omit<BuildTask, 'env'>} task
 * @returns {number} the exit status
 */
function lockedBuild(task) {
  if (!isStale(task.output, task.sources)) return LOCKED_CURRENT;
  const result = spawnSync(task.command, task.args, { cwd: task.cwd, stdio: 'inherit' });
  if (result.error) {
    console.error(`${task.name}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

/**
 * A build task for `next build` in `root`.
 * @param {string} root
 * @param {Record<string, string | undefined>} env
 * @returns {BuildTask}
 */
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

/**
 * A build task for the media server's dist/ in `root`.
 * @param {string} root
 * @param {NodeJS.ProcessEnv} env
 * @returns {BuildTask}
 */
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
