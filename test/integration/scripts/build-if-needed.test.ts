// The one builder `npm start` and the tests share (scripts/lib/build-if-needed.mjs), with a tiny
// real build (a node process writing its output) instead of `next build`: it builds when the output
// is missing or older than a source, ignores dependency/generated/output folders, builds once when
// two callers race for the same lock (real flock), and reports a failing build with its output.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIfNeeded, isStale, nextBuildTask, type BuildTask } from '../../../scripts/lib/build-if-needed.mjs';

describe('buildIfNeeded', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'onair-build-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A project folder with one source file and a build that counts its runs in `runs`. */
  function project(name: string, script = '') {
    const root = join(dir, name);
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'src', 'a.txt'), 'a');
    setMtime(join(root, 'src', 'a.txt'), 1_000);
    const output = join(root, 'out', 'BUILD_ID');
    const runs = join(root, 'runs');
    const build = `const fs = require('node:fs'); fs.appendFileSync(${JSON.stringify(runs)}, 'x'); ${script}
      fs.mkdirSync(${JSON.stringify(join(root, 'out'))}, { recursive: true }); fs.writeFileSync(${JSON.stringify(output)}, process.env.BUILD_SECRET ?? '');`;
    const task: BuildTask = {
      name: 'test build',
      message: `building ${name}`,
      output,
      sources: [join(root, 'src')],
      lockFile: join(root, 'build.lock'),
      command: process.execPath,
      args: ['-e', build],
      cwd: root,
      env: { ...process.env, BUILD_SECRET: 'from the environment' },
    };
    const runCount = () => {
      try {
        return readFileSync(runs, 'utf8').length;
      } catch {
        return 0;
      }
    };
    return { root, task, output, runCount };
  }

  /** Sets a file's mtime to `seconds` after the epoch (no waiting for the clock to tick). */
  function setMtime(path: string, seconds: number) {
    utimesSync(path, seconds, seconds);
  }

  it('builds a missing output, then finds it current; the environment reaches the build', async () => {
    const { task, output, runCount } = project('fresh');
    const lines: string[] = [];
    assert.equal(await buildIfNeeded(task, { log: (line) => lines.push(line), output: 'capture' }), 'built');
    assert.deepEqual(lines, ['building fresh']);
    assert.equal(readFileSync(output, 'utf8'), 'from the environment');
    assert.equal(await buildIfNeeded(task, { log: (line) => lines.push(line) }), 'current');
    assert.equal(runCount(), 1);
    assert.equal(lines.length, 1, 'nothing is printed when the build is current');
  });

  it('rebuilds when a source is newer than the output, not when an ignored folder is', async () => {
    const { root, task, output, runCount } = project('ignored');
    await buildIfNeeded(task, { output: 'capture' });
    setMtime(output, 2_000);
    for (const ignored of ['node_modules', 'generated', '.next', 'dist', 'data', '.git']) {
      mkdirSync(join(root, 'src', ignored), { recursive: true });
      writeFileSync(join(root, 'src', ignored, 'x.txt'), 'x');
      setMtime(join(root, 'src', ignored, 'x.txt'), 3_000);
    }
    assert.equal(isStale(output, task.sources), false);
    assert.equal(await buildIfNeeded(task, { output: 'capture' }), 'current');
    setMtime(join(root, 'src', 'a.txt'), 3_000);
    assert.equal(isStale(output, task.sources), true);
    assert.equal(await buildIfNeeded(task, { output: 'capture' }), 'built');
    assert.equal(runCount(), 2);
  });

  it('two callers at once build once: the second waits on the lock and finds the output current', async () => {
    const { task, runCount } = project('race', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);');
    const results = await Promise.all([buildIfNeeded(task, { output: 'capture' }), buildIfNeeded(task, { output: 'capture' })]);
    assert.deepEqual([...results].sort(), ['built', 'current']);
    assert.equal(runCount(), 1);
  });

  it('a failing build rejects with its exit code and the end of its output', async () => {
    const { task } = project('failing', 'console.error("the compiler says no"); process.exit(7);');
    await assert.rejects(buildIfNeeded(task, { output: 'capture' }), /test build: build failed \(exit code 7\):\n[^]*the compiler says no/);
  });

  it('nextBuildTask: the sources, output and lock npm start and the tests share', () => {
    const task = nextBuildTask('/srv/onair', { NEXT_DIST_DIR: '.next-test', SECRET: 's' });
    assert.equal(task.output, '/srv/onair/.next-test/BUILD_ID');
    assert.deepEqual(task.sources, ['app', 'lib', 'prisma', 'next.config.js', 'instrumentation.ts'].map((p) => `/srv/onair/${p}`));
    assert.equal(task.lockFile, '/tmp/onair-next-build-.next-test.lock');
    assert.deepEqual(task.args.slice(-1), ['build']);
    assert.equal(task.env.NODE_ENV, 'production');
    assert.equal(task.env.NEXT_DIST_DIR, '.next-test');
    assert.equal(task.env.SECRET, 's');
  });
});
