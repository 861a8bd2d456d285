#!/usr/bin/env node
// @ts-check
// The test runner behind `npm test` (the whole suite, what CI runs) and `npm run test:unit` (the developer's loop):
// node's built-in test runner over every *.test.ts under test/, media-server/test/ and bench/test/, TypeScript
// through tsx.
//
// What is a unit test is decided by the folder, nothing else (test/README.md):
// - a test file under a folder named `integration/` or `e2e/` may start real parts: the web app, the media server
//   process, nginx-rtmp, ffmpeg, Chromium, PostgreSQL, any child process;
// - every other test file is a unit test: in-process code only (SQLite in-process and loopback sockets the test opens
//   itself are fine). `--unit` runs only those, all in one process (test/helpers/unit-suite.ts), and holds them to
//   it: starting a process throws (test/helpers/no-child-processes.ts), and the data-layer tests run on SQLite only
//   (ONAIR_TEST_SUITE=unit).
//
//   npm test                             everything
//   npm run test:unit                    the unit tests only (under a minute on 2 cores)
//   npm test -- media-server             only files whose path contains "media-server"
//   npm run test:unit -- test/lib/live   unit tests whose path contains "test/lib/live"
//   npm test -- test/lib/db.test.ts      one file
// Ends with a plain "N passed, N failed" line (CI reads it) and a non-zero exit code when anything failed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = ['test', 'media-server/test', 'bench/test'];
/** Folders whose tests may start real parts; every other test is a unit test. */
const NOT_UNIT_FOLDERS = ['integration', 'e2e'];

/**
 * Every *.test.ts under `dir`, as paths relative to the repository root.
 * @param {string} dir
 * @returns {string[]}
 */
function findTests(dir) {
  /** @type {string[]} */
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'fixtures') return [];
    if (statSync(path).isDirectory()) return findTests(path);
    return entry.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/**
 * @param {string} file a test file's path relative to the repository root
 * @returns {boolean}
 */
function isUnitTest(file) {
  return !file.split(sep).some((folder) => NOT_UNIT_FOLDERS.includes(folder));
}

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const filters = args.filter((arg) => arg !== '--unit');
const files = roots
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((file) => !unit || isUnitTest(file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`run-tests: no ${unit ? 'unit ' : ''}test files match ${JSON.stringify(filters)}`);
  process.exit(1);
}

// The full suite starts servers, ffmpeg and Chromium: two files at a time is what 2 cores carry without timing flakes.
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(1, Math.min(2, availableParallelism())));
const nodeArgs = unit
  ? ['--import', 'tsx', '--test-reporter=spec', join(root, 'test/helpers/unit-suite.ts'), ...files]
  : ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
const env = unit ? { ...process.env, ONAIR_TEST_SUITE: 'unit' } : process.env;
const child = spawn(process.execPath, nodeArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });

let tail = '';
child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
  process.stdout.write(chunk);
  // The summary lines come before the list of failing tests, which can be long.
  tail = (tail + chunk.toString()).slice(-262_144);
});
child.on('close', (code, signal) => {
  // The spec reporter closes with "ℹ pass N" / "ℹ fail N"; repeat them as one plain line.
  const pass = Number([...tail.matchAll(/ℹ pass (\d+)/g)].at(-1)?.[1] ?? 0);
  let fail = Number([...tail.matchAll(/ℹ fail (\d+)/g)].at(-1)?.[1] ?? 0);
  if (code !== 0 && fail === 0) fail = 1; // a crash or a failing hook still fails the run
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code === 0 && !signal && fail === 0 ? 0 : 1);
});
