import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSpillDir } from '../../src/hls/spill-dir.js';
import { createMemoryLogger } from '../../src/logger.js';
import { withTempDir } from '../helpers/temp-dir.js';

describe('hls spill directory', () => {
  it('is made per process, removes the directories of servers that are gone, and is removed on close', async () => {
    await withTempDir('onair-spill-parent-', async (parent) => {
      // Linux hands out pids below pid_max only, so no process has this one.
      const gonePid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
      await mkdir(join(parent, `onair-hls-${gonePid}-old`, 'abc'), { recursive: true });
      await mkdir(join(parent, `onair-hls-${process.ppid}-alive`));
      await mkdir(join(parent, 'something-else'));
      const logger = createMemoryLogger();
      const spill = await createSpillDir(parent, logger);
      assert.ok(spill);
      assert.match(spill.dir, new RegExp(`onair-hls-${process.pid}-`));
      assert.deepEqual((await readdir(parent)).sort(), [`onair-hls-${process.ppid}-alive`, spill.dir.split('/').pop(), 'something-else'].sort());
      assert.match(logger.lines.join('\n'), new RegExp(`onair-hls-${gonePid}-old`));
      await spill.remove();
      assert.ok(!(await readdir(parent)).includes(spill.dir.split('/').pop()!));
    });
  });

  it('a parent it cannot write to means no spill directory (and a warning), not a crash', async () => {
    await withTempDir('onair-spill-parent-', async (parent) => {
      await writeFile(join(parent, 'file'), 'not a directory');
      const logger = createMemoryLogger();
      assert.equal(await createSpillDir(join(parent, 'file'), logger), undefined);
      assert.match(logger.lines.join('\n'), /every HLS segment stays in memory/);
    });
  });
});
