// /recordings/ on a real loopback HTTP listener over a real folder: what is served (Range, HEAD,
// CORS preflight, cache lifetime), and what is refused (bad token: a bare 403; a planted symbolic
// link, a missing file: 404; other methods: 405).
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReadBudget } from '../../src/hls/read-budget.js';
import { createHttpListener } from '../../src/http/server.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createRecordingsHandler } from '../../src/recordings/routes.js';
import { signRecordingToken } from '../../src/recordings/signed-path.js';
import { withTempDir } from '../helpers/temp-dir.js';

const key = 'k'.repeat(32);
const id = 'abcdef0123';
const now = 1_800_000_000_000;

async function withServer(run: (base: string, dir: string) => Promise<void>, { apiToken }: { apiToken: string | undefined } = { apiToken: key }): Promise<void> {
  await withTempDir('onair-rec-routes-', async (dir) => {
    const folder = join(dir, 'live', 'chan', id);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'index.m3u8'), '#EXTM3U\n');
    await writeFile(join(folder, 'seg-0.m4s'), Buffer.alloc(1000, 7));
    await writeFile(join(dir, 'secret.txt'), 'outside');
    await symlink(join(dir, 'secret.txt'), join(folder, 'seg-1.m4s'));
    const handler = createRecordingsHandler({ recordDir: dir, apiToken, readBudget: new ReadBudget(1 << 20), logger: createMemoryLogger(), now: () => now });
    const server = createHttpListener((req, res, info) => {
      if (!handler.handle(req, res, info)) {
        res.writeHead(418);
        res.end();
      }
    });
    const port = await server.listen(0, '127.0.0.1');
    try {
      await run(`http://127.0.0.1:${port}`, dir);
    } finally {
      await server.close();
    }
  });
}

const token = signRecordingToken(key, now / 1000 + 120, 'live', 'chan', id);

describe('recordings route', () => {
  it('serves a signed file with Range, HEAD, CORS and a private cache lifetime up to the expiry', () =>
    withServer(async (base) => {
      const whole = await fetch(`${base}/recordings/${token}/live/chan/${id}/seg-0.m4s`);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'video/mp4');
      assert.equal(whole.headers.get('cache-control'), 'private, max-age=120');
      assert.equal(whole.headers.get('access-control-allow-origin'), '*');
      assert.equal(whole.headers.get('accept-ranges'), 'bytes');
      assert.equal((await whole.arrayBuffer()).byteLength, 1000);
      const tail = await fetch(`${base}/recordings/${token}/live/chan/${id}/seg-0.m4s`, { headers: { Range: 'bytes=-10' } });
      assert.equal(tail.status, 206);
      assert.equal(tail.headers.get('content-range'), 'bytes 990-999/1000');
      const beyond = await fetch(`${base}/recordings/${token}/live/chan/${id}/seg-0.m4s`, { headers: { Range: 'bytes=5000-' } });
      assert.equal(beyond.status, 416);
      const head = await fetch(`${base}/recordings/${token}/live/chan/${id}/index.m3u8`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-type'), 'application/vnd.apple.mpegurl');
      assert.equal(head.headers.get('content-length'), '8');
      const preflight = await fetch(`${base}/recordings/${token}/live/chan/${id}/index.m3u8`, { method: 'OPTIONS' });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Range/);
      assert.equal((await fetch(`${base}/recordings/${token}/live/chan/${id}/index.m3u8`, { method: 'POST' })).status, 405);
      assert.equal((await fetch(`${base}/live/chan/index.m3u8`)).status, 418, 'other paths are left to the next handler');
    }));

  it('does not follow a symbolic link planted in the folder, and 404s a missing file', () =>
    withServer(async (base) => {
      const link = await fetch(`${base}/recordings/${token}/live/chan/${id}/seg-1.m4s`);
      assert.equal(link.status, 404);
      assert.doesNotMatch(await link.text(), /outside/);
      assert.equal((await fetch(`${base}/recordings/${token}/live/chan/${id}/seg-9.m4s`)).status, 404);
    }));

  it('refuses bad tokens with a bare 403, whatever the reason', () =>
    withServer(async (base) => {
      for (const bad of [signRecordingToken(key, now / 1000, 'live', 'chan', id), signRecordingToken('other', now / 1000 + 120, 'live', 'chan', id), 'garbage']) {
        const res = await fetch(`${base}/recordings/${bad}/live/chan/${id}/index.m3u8`);
        assert.equal(res.status, 403);
        assert.equal(await res.text(), 'forbidden\n');
        assert.equal(res.headers.get('cache-control'), 'no-store');
      }
    }));

  it('refuses everything without an API token to check signatures with', () =>
    withServer(async (base) => {
      assert.equal((await fetch(`${base}/recordings/${token}/live/chan/${id}/index.m3u8`)).status, 403);
    }, { apiToken: undefined }));
});
