import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedHeaders, parseHlsPath, parseRange, sendStoredBytes, fileStepBytes } from '../../src/hls/routes.js';
import { ReadBudget } from '../../src/hls/read-budget.js';
import { createHttpListener } from '../../src/http/server.js';
import { withTempDir } from '../helpers/temp-dir.js';

describe('hls routes', () => {
  const cases = [
    { path: '/live/demo/index.m3u8', value: { app: 'live', name: 'demo', resource: { type: 'multivariant' } } },
    { path: '/live/demo/media.m3u8', value: { app: 'live', name: 'demo', resource: { type: 'media' } } },
    { path: '/live/demo/ab12/init-0.mp4', value: { app: 'live', name: 'demo', resource: { type: 'init', id: 'ab12', initId: 0 } } },
    { path: '/live/demo/ab12/seg-41.m4s', value: { app: 'live', name: 'demo', resource: { type: 'segment', id: 'ab12', msn: 41 } } },
    { path: '/live/demo/ab12/part-409.m4s', value: { app: 'live', name: 'demo', resource: { type: 'part', id: 'ab12', index: 409 } } },
    { path: '/live/my%20show/index.m3u8', value: { app: 'live', name: 'my show', resource: { type: 'multivariant' } } },
    { path: '/healthz', value: undefined },
    { path: '/api/streams', value: undefined },
    { path: '/live/demo/other.m3u8', value: undefined },
    { path: '/live/demo/ab12/seg-x.m4s', value: undefined },
    { path: '/a/b/c/index.m3u8', value: undefined },
    { path: '/live/%E0%A4%A/index.m3u8', value: undefined },
  ];
  for (const { path, value } of cases) {
    it(path, () => assert.deepEqual(parseHlsPath(path), value));
  }

  it('parses single byte ranges', () => {
    assert.equal(parseRange(undefined, 100), undefined);
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=50-500', 100), { start: 50, end: 99 });
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-1', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,5-6', 100), undefined);
  });
});

describe('sendStoredBytes from a file', () => {
  it('sends a range larger than one read in steps, byte-exact, and a 404 once the file is gone', async () => {
    await withTempDir('onair-stored-', async (dir) => {
      const path = join(dir, 'seg.m4s');
      // 20.5 steps after a 100-byte offset; every byte its own value so a misplaced step shows.
      const size = fileStepBytes * 20 + fileStepBytes / 2;
      const content = Buffer.alloc(size + 100);
      for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 13)) & 0xff;
      await writeFile(path, content);
      const stored = { kind: 'file' as const, path, offset: 100, size };
      const server = createHttpListener((req, res) => void sendStoredBytes(req, res, stored, fixedHeaders('video/mp4', 'no-store'), 'no-store'));
      const port = await server.listen(0, '127.0.0.1');
      try {
        const whole = await fetch(`http://127.0.0.1:${port}/seg`);
        assert.equal(whole.headers.get('content-length'), String(size));
        assert.ok(Buffer.from(await whole.arrayBuffer()).equals(content.subarray(100)));
        const ranged = await fetch(`http://127.0.0.1:${port}/seg`, { headers: { Range: `bytes=5-${size - 2}` } });
        assert.equal(ranged.status, 206);
        assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(content.subarray(105, 100 + size - 1)));
        await rm(path);
        assert.equal((await fetch(`http://127.0.0.1:${port}/seg`)).status, 404);
      } finally {
        await server.close();
      }
    });
  });

  it('responses reading at once through shared step buffers each get their own bytes, and give the buffers back', async () => {
    await withTempDir('onair-stored-', async (dir) => {
      // Two files whose bytes differ everywhere: a buffer reused too early would mix them.
      const size = fileStepBytes * 5 + 123;
      const contents = [0x11, 0xee].map((fill, n) => {
        const content = Buffer.alloc(size, fill);
        for (let i = 0; i < size; i += 997) content[i] = (i + n) & 0xff;
        return content;
      });
      await Promise.all(contents.map((content, n) => writeFile(join(dir, `seg-${n}.m4s`), content)));
      const budget = new ReadBudget(1 << 20, fileStepBytes, 2);
      const server = createHttpListener((req, res) => {
        const n = req.url === '/1' ? 1 : 0;
        void sendStoredBytes(req, res, { kind: 'file', path: join(dir, `seg-${n}.m4s`), offset: 0, size }, fixedHeaders('video/mp4', 'no-store'), 'no-store', budget);
      });
      const port = await server.listen(0, '127.0.0.1');
      try {
        const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(`http://127.0.0.1:${port}/${i % 2}`).then(async (res) => Buffer.from(await res.arrayBuffer()))));
        bodies.forEach((body, i) => assert.ok(body.equals(contents[i % 2]!), `response ${i} is its own file, byte for byte`));
        // Given back once the last write completed and the file closed, just after the client has it all.
        for (let waited = 0; budget.usedBytes > 0 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(budget.usedBytes, 0, 'every lent buffer came back');
        assert.equal(budget.spareBuffers, 2);
      } finally {
        await server.close();
      }
    });
  });
});
