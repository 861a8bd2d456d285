#!/usr/bin/env node
// The whole test suite: node's built-in test runner over every *.test.ts under test/, media-server/test/
// and bench/test/, TypeScript through tsx.
//   npm test                      everything
//   npm test -- media-server      only files whose path contains "media-server"
//   npm test -- test/web/x.test.ts  one file
// Ends with a plain "N passed, N failed" line and a non-zero exit code when anything failed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = ['test', 'media-server/test', 'bench/test'];

/**
 * @param {string} dir
 * @returns {string[]}
 */
function findTests(dir) {
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

const filters = process.argv.slice(2);
const files = roots
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`run-tests: no test files match ${JSON.stringify(filters)}`);
  process.exit(1);
}

// Tests start servers, ffmpeg and Chromium: two files at a time is what 2 cores carry without timing flakes.
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(1, Math.min(2, availableParallelism())));
const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });

let pass = 0;
let fail = 0;
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  // The summary lines come before the list of failing tests, which can be long.
  tail = (tail + chunk.toString()).slice(-262_144);
});
child.on('close', (code, signal) => {
  // The spec reporter closes with "ℹ pass N" / "ℹ fail N"; repeat them as one plain line.
  pass = Number([...tail.matchAll(/ℹ pass (\d+)/g)].at(-1)?.[1] ?? 0);
  fail = Number([...tail.matchAll(/ℹ fail (\d+)/g)].at(-1)?.[1] ?? 0);
  if (code !== 0 && fail === 0) fail = 1; // a crash or a failing hook still fails the run
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code === 0 && !signal && fail === 0 ? 0 : 1);
});
