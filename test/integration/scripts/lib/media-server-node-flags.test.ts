// The media server's Node flags live in its bin's shebang (scripts/lib/media-server-node-flags.mjs):
// the parser reads exactly that line, and the line itself really starts node with those flags and
// that environment.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { withTempDir } from '../../../../media-server/test/helpers/temp-dir.js';
import { launchFromShebang, mediaServerBin, mediaServerLaunch } from '../../../../scripts/lib/media-server-node-flags.mjs';

const root = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));

describe('launchFromShebang: the flags', () => {
  const accepted: Array<[string, string[]]> = [
    ['#!/usr/bin/env node\nimport x;', []],
    ['#!/usr/bin/env -S node --single-threaded-gc\n', ['--single-threaded-gc']],
    ['#!/usr/bin/env -S node --initial-old-space-size=48 --single-threaded-gc  \r\n//', ['--initial-old-space-size=48', '--single-threaded-gc']],
    ['#!/usr/bin/env -S node --a   --b=1.5', ['--a', '--b=1.5']],
    ['#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --a', ['--a']],
  ];
  for (const [source, flags] of accepted) {
    it(`reads ${JSON.stringify(source.split('\n')[0])}`, () => assert.deepEqual(launchFromShebang(source).nodeFlags, flags));
  }
  const refused: Array<[string, RegExp]> = [
    ['// no shebang\n', /expected "#!\/usr\/bin\/env -S \[NAME=VALUE \.\.\.\] node <flags>"/],
    ['#!/usr/bin/node --x\n', /expected/],
    ['#!/usr/bin/env -S node --max-old-space-size=${HEAP}\n', /unsupported shebang argument "--max-old-space-size=\$\{HEAP\}"/],
    ['#!/usr/bin/env -S node "--quoted"\n', /unsupported shebang argument/],
    ['#!/usr/bin/env -S node --x script.js\n', /unsupported shebang argument "script.js"/],
    ['#!/usr/bin/env -S NAME=${X} node --x\n', /unsupported shebang argument "NAME=\$\{X\}"/],
    ['#!/usr/bin/env -S -i node --x\n', /expected/],
    ['#!/usr/bin/env -S nodejs --x\n', /expected/],
  ];
  for (const [source, error] of refused) {
    it(`refuses ${JSON.stringify(source.split('\n')[0])}`, () => assert.throws(() => launchFromShebang(source), error));
  }
});

describe('launchFromShebang: the environment with the flags', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['#!/usr/bin/env node\n', {}, []],
    ['#!/usr/bin/env -S node --a\n', {}, ['--a']],
    ['#!/usr/bin/env -S MALLOC_ARENA_MAX=1 A_B=x.y node --a --b=2\n', { MALLOC_ARENA_MAX: '1', A_B: 'x.y' }, ['--a', '--b=2']],
    ['#!/usr/bin/env -S EMPTY= node\n', { EMPTY: '' }, []],
  ];
  for (const [source, env, nodeFlags] of cases) {
    it(`reads ${JSON.stringify(source.split('\n')[0])}`, () => assert.deepEqual(launchFromShebang(source), { env, nodeFlags }));
  }
});

describe('the media server bin', () => {
  it('is executable and names its flags in the shebang', () => {
    const bin = mediaServerBin(root);
    assert.equal(execFileSync('git', ['ls-files', '-s', '--', bin], { cwd: root, encoding: 'utf8' }).slice(0, 6), '100755', 'committed as executable');
    assert.ok(mediaServerLaunch(root).nodeFlags.length > 0);
  });

  it('its shebang line, executed, starts node with exactly those flags and that environment (env -S splits them, node accepts them)', async () => {
    await withTempDir('onair-shebang-', async (dir) => {
      const script = join(dir, 'flags.mjs');
      const shebang = readFileSync(mediaServerBin(root), 'utf8').split('\n', 1)[0] ?? '';
      const launch = mediaServerLaunch(root);
      const names = Object.keys(launch.env);
      writeFileSync(script, `${shebang}\nconsole.log(JSON.stringify([process.execArgv, Object.fromEntries(${JSON.stringify(names)}.map((name) => [name, process.env[name]]))]));\n`);
      chmodSync(script, 0o755);
      const env = { ...process.env };
      for (const name of names) delete env[name];
      const [flags, seen] = JSON.parse(execFileSync(script, { encoding: 'utf8', timeout: 20_000, env })) as [string[], Record<string, string>];
      assert.deepEqual(flags, launch.nodeFlags);
      assert.deepEqual(seen, launch.env);
    });
  });
});
