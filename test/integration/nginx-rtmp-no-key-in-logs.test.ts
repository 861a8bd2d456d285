// The shipped media-server/nginx/nginx.conf writes no stream key to any log. Real nginx-rtmp runs
// the file rendered with envsubst as its README says; an on_publish server on loopback plays the
// web app (302 to the internal onair_hls app under the slug, as lib/ answers); ffmpeg publishes
// with the key in both pasted forms (`<key>` and `<slug>?key=<key>`). nginx runs as a supervisor
// would run it (only pid and user from -g), so its logs are the ones the file configures. Then
// every log the run produced is grepped for the key and the callback secret: nginx's stdout and
// stderr (the shipped error log), the new bytes of nginx's compiled-in access log (where both
// access logs go unless the config says otherwise) and every file under the run's directory.
//
// Why the error log is at `crit` in the shipped file: at `error`, nginx-rtmp writes
// "notify: push '<name>' to ..." for every accepted publish, and <name> is the key when the
// streamer pastes the bare key (the first case below); the last test shows it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { startHookServer, type HookServer } from '../../media-server/test/helpers/hook-server.js';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { renderShippedNginxConf } from '../helpers/shipped-nginx-conf';

/** nginx 1.22 on Debian: --http-log-path, where both access logs go when the config names none. */
const COMPILED_ACCESS_LOG = '/var/log/nginx/access.log';

async function sizeOf(path: string): Promise<number> {
  return existsSync(path) ? (await stat(path)).size : 0;
}

async function readFrom(path: string, offset: number): Promise<string> {
  if (!existsSync(path)) return '';
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('latin1');
  } finally {
    await handle.close();
  }
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('shipped nginx.conf: no stream key in any nginx log', { timeout: 120_000 }, () => {
  const slug = 'nokeylog';
  const key = `live_${randomBytes(20).toString('base64url')}`;
  const secret = randomBytes(16).toString('hex');
  let tmp: string;
  let hlsDir: string;
  let rtmpPort: number;
  let httpPort: number;
  let hooks: HookServer;
  let nginx: ManagedProcess;
  let accessLogStart: number;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-nginx-nokey-'));
    hlsDir = join(tmp, 'hls');
    rtmpPort = await freePort();
    httpPort = await freePort();
    hooks = await startHookServer((request) => {
      if (!request.path.startsWith('/api/rtmp/on-publish?')) return { status: 200 };
      const name = request.form.get('name');
      const allowed = name === key || (name === slug && request.form.get('key') === key);
      return allowed ? { status: 302, location: `rtmp://127.0.0.1:${rtmpPort}/onair_hls/${slug}` } : { status: 403 };
    });
    const rendered = renderShippedNginxConf({ RTMP_PORT: `127.0.0.1:${rtmpPort}`, HTTP_PORT: `127.0.0.1:${httpPort}`, HLS_PATH: hlsDir, ONAIR_URL: hooks.url(''), RTMP_CALLBACK_SECRET: secret, CONTROL_PORT: `127.0.0.1:${await freePort()}`, RECORD_PATH: tmp });
    const confPath = join(tmp, 'nginx.conf');
    await writeFile(confPath, rendered);
    accessLogStart = await sizeOf(COMPILED_ACCESS_LOG);
    nginx = startProcess('nginx', ['-c', confPath, '-p', '/usr/share/nginx/', '-g', `pid ${join(tmp, 'nginx.pid')}; user root;`]);
    await Promise.race([
      Promise.all([waitForPort(rtmpPort, 20_000), waitForPort(httpPort, 20_000)]),
      nginx.exited().then((code) => {
        throw new Error(`nginx exited with ${code}:\n${nginx.output()}`);
      }),
    ]);
  });

  after(async () => {
    await nginx?.stop();
    await hooks?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('publishes with the key in both pasted forms, serves HLS under the slug, and logs no key anywhere', async () => {
    for (const name of [key, `${slug}?key=${key}`]) {
      const publisher = publishTestPattern({ url: `rtmp://127.0.0.1:${rtmpPort}/live/${name}`, durationSeconds: 4 });
      try {
        await hooks.waitFor((r) => r.path.startsWith('/api/rtmp/on-publish?') && r.body.includes(key), 15_000);
        const playlist = await waitFor('the HLS playlist under the slug', async () => {
          const res = await fetch(`http://127.0.0.1:${httpPort}/live/${slug}.m3u8`);
          const text = await res.text();
          return res.status === 200 && /\.ts$/m.test(text) ? text : null;
        }, 20_000);
        assert.ok(!playlist.includes(key));
        assert.equal(await publisher.exited(), 0, `ffmpeg publishing ${name === key ? '<key>' : '<slug>?key=<key>'} failed:\n${publisher.output()}`);
      } finally {
        await publisher.stop();
      }
      await hooks.waitFor((r) => r.path.startsWith('/api/rtmp/on-publish-done?') && r.body.includes(key), 20_000);
      hooks.requests.length = 0;
    }
    // Let nginx write what it writes at the end of a session (the access log line comes at close).
    await new Promise((r) => setTimeout(r, 1000));
    await nginx.stop();

    const logs: Array<[string, string]> = [
      ['nginx stdout/stderr', nginx.output()],
      [`${COMPILED_ACCESS_LOG} (this run's bytes)`, await readFrom(COMPILED_ACCESS_LOG, accessLogStart)],
    ];
    // Everything nginx wrote under the run's directory (HLS, pid); the rendered config carries the secret by design.
    for (const file of await allFiles(tmp)) if (!file.endsWith('.conf')) logs.push([file, await readFile(file, 'latin1')]);
    assert.ok(logs[1]![1].includes(`GET /live/${slug}.m3u8`), `this run's HTTP requests reached the access log:\n${logs[1]![1].slice(-2000)}`);
    for (const [name, text] of logs) {
      assert.ok(!text.includes(key), `${name} contains the stream key:\n${text.split('\n').filter((l) => l.includes(key)).join('\n')}`);
      assert.ok(!text.includes(key.slice(5)), `${name} contains the key's random part`);
      assert.ok(!text.includes(secret), `${name} contains the callback secret:\n${text.split('\n').filter((l) => l.includes(secret)).join('\n')}`);
    }
  });

  it('the shipped error log level is what keeps the key out: at `error`, nginx-rtmp writes the bare key', async () => {
    // The same file with the level lowered to nginx's default, one bare-key publish.
    const lowered = (await readFile(join(tmp, 'nginx.conf'), 'utf8')).replace('error_log stderr crit;', 'error_log stderr error;');
    assert.ok(lowered.includes('error_log stderr error;'));
    const confPath = join(tmp, 'nginx-error-level.conf');
    await writeFile(confPath, lowered);
    const loud = startProcess('nginx', ['-c', confPath, '-p', '/usr/share/nginx/', '-g', `pid ${join(tmp, 'nginx-loud.pid')}; user root;`]);
    try {
      await waitForPort(rtmpPort, 20_000);
      const publisher = publishTestPattern({ url: `rtmp://127.0.0.1:${rtmpPort}/live/${key}`, durationSeconds: 2 });
      await publisher.exited();
      await waitFor('the error-level log line', () => loud.output().includes('notify: push'), 10_000);
      assert.ok(loud.output().includes(key), 'nginx-rtmp logs the published name at error level');
    } finally {
      await loud.stop();
    }
  });
});
