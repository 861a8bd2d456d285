import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SegmentFiles, writeAtomically, writeDurablyAt } from '../../src/hls/segment-files.js';
import { createMemoryLogger } from '../../src/logger.js';
import { withTempDir } from '../helpers/temp-dir.js';

describe('hls segment files', () => {
  it('writes files atomically, says when they are complete, and removes them', async () => {
    await withTempDir('onair-files-', async (dir) => {
      const files = new SegmentFiles(join(dir, 'live', 'show'), createMemoryLogger());
      files.reset();
      const written = files.writeFile('abc/seg-0.m4s', [Uint8Array.of(1, 2), Uint8Array.of(3)]);
      void files.writeFile('media.m3u8', [Buffer.from('#EXTM3U\n')]);
      assert.equal(await written, true);
      assert.deepEqual([...(await readFile(files.path('abc/seg-0.m4s')))], [1, 2, 3]);
      await files.flushed();
      assert.deepEqual((await readdir(join(dir, 'live', 'show'))).sort(), ['abc', 'media.m3u8']);
      files.remove('abc/seg-0.m4s');
      await files.flushed();
      assert.deepEqual(await readdir(join(dir, 'live', 'show', 'abc')), []);
      files.removeAll();
      await files.flushed();
      assert.deepEqual(await readdir(join(dir, 'live')), []);
    });
  });

  it('a write that fails resolves false, is logged, and later writes still run', async () => {
    await withTempDir('onair-files-', async (dir) => {
      await writeFile(join(dir, 'blocker'), 'a file where a directory should be');
      const logger = createMemoryLogger();
      const broken = new SegmentFiles(join(dir, 'blocker', 'stream'), logger);
      assert.equal(await broken.writeFile('x/seg-0.m4s', [Uint8Array.of(1)]), false);
      assert.match(logger.lines.join('\n'), /hls file write failed/);
      const fine = new SegmentFiles(join(dir, 'ok'), logger);
      assert.equal(await fine.writeFile('x/seg-0.m4s', [Uint8Array.of(1)]), true);
    });
  });

  it('makes a folder again when it was removed between writes', async () => {
    await withTempDir('onair-files-', async (dir) => {
      const files = new SegmentFiles(join(dir, 'live', 'show'), createMemoryLogger());
      assert.equal(await files.writeFile('abc/seg-0.m4s', [Uint8Array.of(1)]), true);
      files.removeAll();
      assert.equal(await files.writeFile('abc/seg-1.m4s', [Uint8Array.of(2)]), true);
      assert.deepEqual([...(await readFile(files.path('abc/seg-1.m4s')))], [2]);
    });
  });

  it('writes every chunk in order, more chunks than one writev takes and none at all, durably or not', async () => {
    await withTempDir('onair-files-', async (dir) => {
      // 1500 chunks: over Linux's IOV_MAX (1024), so libuv splits the writev.
      const chunks = Array.from({ length: 1500 }, (_, index) => Buffer.alloc(1 + (index % 7), index % 251));
      const expected = Buffer.concat(chunks);
      for (const durable of [false, true]) {
        const path = join(dir, `many-${durable}.m4s`);
        await writeAtomically(path, chunks, durable);
        assert.ok((await readFile(path)).equals(expected));
      }
      await writeAtomically(join(dir, 'empty.m4s'), []);
      assert.equal((await readFile(join(dir, 'empty.m4s'))).length, 0);
      assert.deepEqual((await readdir(dir)).sort(), ['empty.m4s', 'many-false.m4s', 'many-true.m4s']);
    });
  });

  it('writes at an offset and cuts what followed it (a retried append over a torn one)', async () => {
    await withTempDir('onair-files-', async (dir) => {
      const path = join(dir, 'index.m3u8');
      await writeFile(path, 'line one\nline two, torn');
      await writeDurablyAt(path, 'line one\n'.length, 'line two\n');
      assert.equal(await readFile(path, 'utf8'), 'line one\nline two\n');
      await writeDurablyAt(path, 'line one\nline two\n'.length, 'line three\n');
      assert.equal(await readFile(path, 'utf8'), 'line one\nline two\nline three\n');
      await assert.rejects(writeDurablyAt(join(dir, 'missing.m3u8'), 0, 'x'), { code: 'ENOENT' });
    });
  });
});
