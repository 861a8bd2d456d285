// The bundled media server writes no stream key to its log. ffmpeg publishes with the key (bare,
// and with `?key=` args), the on_publish server answers 302 with the public name as the web app
// does, a second publish is denied, and every log the run produced (the server's stdout and
// stderr at debug level, its --hls-dir) is grepped for the key: zero hits. The lines that do
// name the publish carry the public name and the key's last 4 characters at most.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startHookServer, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';

describe('bundled media server: no stream key in any log', { timeout: 90_000 }, () => {
  const key = `live_${randomBytes(20).toString('base64url')}`;
  const wrongKey = `live_${randomBytes(20).toString('base64url')}`;
  const publicName = 'public-channel';
  let hooks: HookServer;
  let server: MediaServerProcess;
  let hlsDir: string;

  before(async () => {
    hlsDir = await mkdtemp(join(tmpdir(), 'onair-nokey-'));
    hooks = await startHookServer((request) => {
      if (request.path !== '/on_publish') return { status: 200 };
      const name = request.form.get('name');
      const allowed = name === key || (name === publicName && request.form.get('key') === key);
      return allowed ? { status: 302, location: publicName } : { status: 403 };
    });
    server = await startMediaServerProcess([
      '--log-level', 'debug',
      '--on-publish', hooks.url('/on_publish'),
      '--on-publish-done', hooks.url('/on_publish_done'),
      '--hls-dir', hlsDir,
    ]);
  });

  after(async () => {
    await server?.stop();
    await hooks?.close();
    if (hlsDir) await rm(hlsDir, { recursive: true, force: true });
  });

  it('publishes through a rename with the key as name and as args, refuses a wrong key, and logs neither key', async () => {
    for (const name of [key, `${publicName}?key=${key}`]) {
      const publisher = publishTestPattern({ url: server.rtmpUrl(name), durationSeconds: 3 });
      try {
        await server.process.waitForOutput(new RegExp(`publish accepted .*name=${publicName}`));
        assert.equal(await publisher.exited(), 0, publisher.output());
      } finally {
        await publisher.stop();
      }
      const done = await hooks.waitFor((r) => r.path === '/on_publish_done' && r.body.includes(key));
      assert.ok(done.body.includes(key), 'on_publish_done carries the original name/args to the web app');
      await server.process.waitForOutput(/on_publish_done sent name=public-channel/);
      hooks.requests.length = 0;
      // The next publish must wait until the stream is no longer live under the public name.
      await new Promise((r) => setTimeout(r, 300));
    }
    const denied = publishTestPattern({ url: server.rtmpUrl(wrongKey), durationSeconds: 3 });
    assert.notEqual(await denied.exited(), 0);
    await server.process.waitForOutput(/publish denied .*reason="on_publish answered 403"/);
    // The HLS files while they exist (an ended stream's files go after its grace period), then the log after shutdown.
    const logs: Array<[string, string]> = [];
    for (const entry of await readdir(hlsDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) logs.push([join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name), 'latin1')]);
    }
    assert.ok(logs.length > 2, 'HLS files were written');
    await server.stop();
    const output = server.process.output();
    logs.push(['media server stdout/stderr', output]);
    for (const [where, text] of logs) {
      for (const secret of [key, wrongKey, key.slice(5, -4), wrongKey.slice(5, -4)]) {
        assert.ok(!text.includes(secret), `${where} contains a stream key:\n${text.split('\n').filter((l) => l.includes(secret)).join('\n')}`);
      }
    }
    // What the log does say: the public name, the key's last 4 characters.
    assert.match(output, new RegExp(`publish accepted .*key=…${key.slice(-4)} name=${publicName}`));
    assert.match(output, new RegExp(`unpublish clientid=\\d+ name=${publicName} reason=unpublish key=…${key.slice(-4)}`));
    assert.match(output, new RegExp(`publish denied .*key=…${wrongKey.slice(-4)} reason=`));
  });
});
