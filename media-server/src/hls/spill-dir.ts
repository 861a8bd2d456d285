// The private directory that segments leaving memory are written to when there is no --hls-dir
// copy: `<TMPDIR>/onair-hls-<pid>-XXXXXX`, one per server process, removed when it closes. A
// server that was killed cannot remove its own, so each new one first removes every
// `onair-hls-<pid>-*` whose process is gone (a live one, even another server's, is left alone).

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';

const prefix = 'onair-hls-';

export interface SpillDir {
  readonly dir: string;
  remove(): Promise<void>;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeStale(parent: string, logger: Logger): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(/^onair-hls-(\d+)-/.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processExists(pid)) continue;
    await rm(join(parent, entry), { recursive: true, force: true });
    logger.info('removed the spill directory of a server that is gone', { dir: join(parent, entry) });
  }
}

/** Makes the directory; undefined (logged) when it cannot, and segments then stay in memory. */
export async function createSpillDir(parent: string, logger: Logger): Promise<SpillDir | undefined> {
  await removeStale(parent, logger);
  let dir: string;
  try {
    dir = await mkdtemp(join(parent, `${prefix}${process.pid}-`));
  } catch (error) {
    logger.warn('no spill directory: every HLS segment stays in memory', { parent, error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
