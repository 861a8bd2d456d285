import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { folderSize } from '../../../lib/recordings/folder-size';

describe('folderSize', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-folder-size-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("counts the broadcast's files, not the media server's marker, temporary files or subfolders", async () => {
    await writeFile(join(dir, 'index.m3u8'), 'x'.repeat(100));
    await writeFile(join(dir, 'init.mp4'), 'x'.repeat(20));
    await writeFile(join(dir, 'seg-00001.m4s'), 'x'.repeat(1000));
    await writeFile(join(dir, 'download.mp4'), 'x'.repeat(3000));
    await writeFile(join(dir, 'thumbnail.jpg'), 'x'.repeat(7));
    await writeFile(join(dir, 'record-done.pending'), 'x'.repeat(250));
    await writeFile(join(dir, '.index.m3u8.123.tmp'), 'x'.repeat(90));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'seg-00002.m4s'), 'x'.repeat(500));
    assert.equal(await folderSize(dir), 100 + 20 + 1000 + 3000 + 7);
  });
});
