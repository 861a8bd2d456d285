// The private control API on the real server process with a real ffmpeg publisher: /api/ answers
// only the bearer token, and kick ends a live publish as an unpublish does (on_publish_done once).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startHookServer, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('media server control API', () => {
  let hooks: HookServer;
  let server: MediaServerProcess;

  before(async () => {
    hooks = await startHookServer(() => ({ status: 200 }));
    server = await startMediaServerProcess(['--on-publish', hooks.url('/on_publish'), '--on-publish-done', hooks.url('/on_publish_done'), '--segment-duration-ms', '1000', '--end-grace-ms', '1000']);
  });
  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('kick ends the live publish, its HLS stream and posts on_publish_done once; /api/ needs the token', async () => {
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('kickme') });
    try {
      await eventually(async () => ((await (await fetch(server.httpUrl('/live/kickme/media.m3u8'))).text()).includes('#EXTINF') ? true : undefined), 20_000, 'playlist');
      // No token, a wrong one: nothing, not even the publisher's address.
      for (const headers of [{}, { authorization: 'Bearer nope' }] as Array<Record<string, string>>) {
        const res = await fetch(server.httpUrl('/api/streams'), { headers });
        assert.equal(res.status, 401);
        assert.doesNotMatch(await res.text(), /127\.0\.0\.1|kickme/);
        assert.equal((await fetch(server.httpUrl('/api/streams/live/kickme/kick'), { method: 'POST', headers })).status, 401);
      }
      const listed = (await (await server.api('/api/streams')).json()) as { streams: Array<{ name: string }> };
      assert.ok(listed.streams.some((s) => s.name === 'kickme'));

      const kick = await server.api('/api/streams/live/kickme/kick', { method: 'POST' });
      assert.equal(kick.status, 200);
      assert.deepEqual(await kick.json(), { kicked: true });
      // The publisher's connection is closed: ffmpeg ends by itself.
      assert.notEqual(await Promise.race([ffmpeg.exited(), new Promise((r) => setTimeout(() => r('still running'), 10_000))]), 'still running');
      await eventually(async () => ((await (await fetch(server.httpUrl('/live/kickme/media.m3u8'))).text()).includes('#EXT-X-ENDLIST') ? true : undefined), 10_000, 'ENDLIST');
      const listedAfter = (await (await server.api('/api/streams')).json()) as { streams: Array<{ name: string }> };
      assert.ok(!listedAfter.streams.some((s) => s.name === 'kickme'));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hooks.requests.filter((r) => r.path === '/on_publish_done' && r.form.get('name') === 'kickme').length, 1);

      const again = await server.api('/api/streams/live/kickme/kick', { method: 'POST' });
      assert.equal(again.status, 404);
      assert.deepEqual(await again.json(), { error: 'not live' });
      assert.equal((await server.api('/api/streams/other/kickme/kick', { method: 'POST' })).status, 404);
    } finally {
      await ffmpeg.stop();
    }
  });

  it('with no token configured the API is off (401) and a start-up warning says so', async () => {
    const bare = await startMediaServerProcess([], { MEDIA_SERVER_API_TOKEN: '' });
    try {
      assert.match(bare.process.output(), /control API under \/api\/ is off/);
      for (const authorization of ['Bearer ', 'Bearer undefined', `Bearer ${bare.apiToken}`]) {
        assert.equal((await fetch(bare.httpUrl('/api/streams'), { headers: { authorization } })).status, 401);
      }
      assert.equal((await fetch(bare.httpUrl('/healthz'))).status, 200);
    } finally {
      await bare.stop();
    }
  });
});
