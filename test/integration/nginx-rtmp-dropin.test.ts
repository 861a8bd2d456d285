// nginx-rtmp as a drop-in media server, end to end, with everything real:
//   Debian nginx 1.22 + libnginx-mod-rtmp running the SHIPPED media-server/nginx/nginx.conf
//   (rendered with `envsubst` exactly as the README says, random loopback ports),
//   the real web app (next start) with MEDIA_SERVER=nginx-rtmp, ffmpeg publishing over RTMP,
//   and Chromium signing up, reading the dashboard and watching the channel page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createDb, type Db } from '../../lib/db';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, signUpThroughForm, type LaunchedBrowser } from '../helpers/browser';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { renderShippedNginxConf } from '../helpers/shipped-nginx-conf';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const USERNAME = 'nginx_dropin';
const PASSWORD = 'correct horse battery staple';

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every file under `dir`, as paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('nginx-rtmp drop-in (shipped nginx.conf + web app + ffmpeg + Chromium)', { timeout: 20 * 60_000 }, () => {
  let tmp: string;
  let hlsDir: string;
  let rtmpPort: number;
  let httpPort: number;
  let app: WebApp;
  let nginx: ManagedProcess;
  let browser: LaunchedBrowser;
  let db: Db;
  let serverUrl: string;
  let hlsBase: string;
  let slug: string;
  let streamKey: string;
  let keyToPaste: string;
  const publishers: ManagedProcess[] = [];

  const diagnostics = () =>
    `--- web app ---\n${app?.output().slice(-5000) ?? ''}\n--- nginx ---\n${nginx?.output().slice(-3000) ?? ''}`;

  const channelRow = () => db.channel.findUniqueOrThrow({ where: { slug } });

  /** Asserts nothing under the HLS directory names or contains the key; returns the listing. */
  async function assertNoKeyInHls(key: string): Promise<string[]> {
    const files = await listFiles(hlsDir);
    for (const file of files) {
      assert.ok(!file.includes(key), `HLS file name contains the stream key: ${file}`);
      assert.ok(!file.includes('key='), `HLS file name contains a key argument: ${file}`);
      if (file.endsWith('.m3u8')) {
        const text = await readFile(join(hlsDir, file), 'utf8');
        for (const line of text.split('\n')) {
          assert.ok(!line.includes(key), `playlist ${file} has a line with the stream key: ${line}`);
        }
      }
    }
    assert.ok(!hlsDir.includes(key));
    return files;
  }

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'onair-nginx-dropin-'));
    // Not created here: nginx-rtmp creates hls_path itself when it starts.
    hlsDir = join(tmp, 'hls');
    rtmpPort = await freePort();
    httpPort = await freePort();
    serverUrl = `rtmp://127.0.0.1:${rtmpPort}/live`;
    hlsBase = `http://127.0.0.1:${httpPort}/live`;

    app = await startWebApp({
      env: {
        MEDIA_SERVER: 'nginx-rtmp',
        PUBLIC_RTMP_URL: serverUrl,
        PUBLIC_HLS_URL: hlsBase,
        NGINX_RTMP_RELAY_URL: `rtmp://127.0.0.1:${rtmpPort}/onair_hls`,
      },
    });
    db = createDb(app.databaseUrl);

    // Render the shipped file the way the README documents it: envsubst with the placeholder list.
    const rendered = renderShippedNginxConf({
      RTMP_PORT: `127.0.0.1:${rtmpPort}`,
      HTTP_PORT: `127.0.0.1:${httpPort}`,
      HLS_PATH: hlsDir,
      ONAIR_URL: app.url,
      RTMP_CALLBACK_SECRET: app.callbackSecret,
      CONTROL_PORT: `127.0.0.1:${await freePort()}`,
      RECORD_PATH: tmp,
    });
    const confPath = join(tmp, 'nginx.conf');
    await writeFile(confPath, rendered);

    // Default Debian prefix (/usr/share/nginx): the config's modules-enabled include loads
    // `modules/ngx_rtmp_module.so` relative to it. pid, logs and user come from -g, as a
    // supervisor would pass them; `daemon off` is in the file.
    nginx = startProcess('nginx', [
      '-c', confPath,
      '-p', '/usr/share/nginx/',
      '-g', `pid ${join(tmp, 'nginx.pid')}; error_log ${join(tmp, 'error.log')} info; user root;`,
    ]);
    await Promise.race([
      Promise.all([waitForPort(rtmpPort, 20_000), waitForPort(httpPort, 20_000)]),
      nginx.exited().then((code) => {
        throw new Error(`nginx exited with ${code}:\n${nginx.output()}`);
      }),
    ]);

    browser = await launchBrowser();
  });

  after(async () => {
    for (const publisher of publishers) await publisher.stop(2_000);
    await browser?.close();
    await nginx?.stop();
    await db?.$disconnect();
    await app?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('serves HLS only: no /stat, nothing outside /live/', async () => {
    for (const path of ['/stat', '/', '/live/', '/nginx.conf']) {
      const response = await fetch(`http://127.0.0.1:${httpPort}${path}`);
      await response.body?.cancel();
      assert.ok(response.status === 404 || response.status === 403, `${path} answered ${response.status}`);
    }
  });

  it('the dashboard tells the streamer to paste the nginx-rtmp server and `<slug>?key=<key>`', async () => {
    const { page } = browser;
    await signUpThroughForm(page, app.url, { username: USERNAME, password: PASSWORD });
    await page.getByRole('button', { name: 'Create stream key' }).click();
    streamKey = (await page.getByTestId('new-stream-key').textContent({ timeout: 30_000 })) ?? '';
    keyToPaste = (await page.getByTestId('stream-key-to-paste').textContent()) ?? '';
    const shownServer = (await page.getByTestId('server-url').textContent()) ?? '';
    slug = USERNAME; // the channel slug is the username

    assert.match(streamKey, /^live_[A-Za-z0-9_-]{27}$/);
    assert.equal(shownServer, serverUrl);
    assert.equal(keyToPaste, `${slug}?key=${streamKey}`);
  });

  it('a bad key is refused: the publisher is dropped, nothing is written, the channel stays offline', async () => {
    const wrongKey = `live_${randomBytes(20).toString('base64url')}`;
    for (const name of [wrongKey, `${slug}?key=${wrongKey}`, slug]) {
      const publisher = publishTestPattern({ url: `${serverUrl}/${name}`, durationSeconds: 20 });
      publishers.push(publisher);
      const started = Date.now();
      const code = await Promise.race([publisher.exited(), new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
      assert.notEqual(code, 'running', `publisher with ${name} still running after 15 s:\n${diagnostics()}`);
      assert.notEqual(code, 0, `publisher with ${name} exited 0`);
      assert.ok(Date.now() - started < 15_000);
    }
    assert.deepEqual(await listFiles(hlsDir), []);
    assert.equal((await channelRow()).isLive, false);
  });

  let watcher: Page;
  let publisher: ManagedProcess;
  const requested: string[] = [];

  it('the pasted `<slug>?key=<key>` publishes: the channel goes live and its page plays nginx HLS in Chromium', async () => {
    const publishedAt = Date.now();
    publisher = publishTestPattern({ url: `${serverUrl}/${keyToPaste}`, gop: 30 });
    publishers.push(publisher);
    await waitFor('the channel to be live', async () => (await channelRow()).isLive, 20_000, diagnostics);

    watcher = await browser.context.newPage();
    watcher.on('request', (request) => requested.push(request.url()));
    await watcher.goto(`${app.url}/${slug}`);
    const playing = await waitFor(
      'the channel page to play',
      () => watcher.evaluate(() => {
        const video = document.querySelector('video');
        return video && video.currentTime > 3 && !video.paused ? { currentTime: video.currentTime, src: video.currentSrc } : null;
      }),
      60_000,
      diagnostics,
    );
    // It keeps playing: currentTime advances in real time.
    const t0 = playing.currentTime;
    await new Promise((r) => setTimeout(r, 3_000));
    const t1 = await watcher.evaluate(() => document.querySelector('video')?.currentTime ?? 0);
    assert.ok(t1 - t0 > 1.5, `currentTime advanced only ${t1 - t0} s in 3 s`);
    console.log(`nginx-rtmp drop-in: publish -> playing in Chromium took ${Date.now() - publishedAt} ms`);

    const playlistUrl = `${hlsBase}/${slug}.m3u8`;
    assert.ok(requested.includes(playlistUrl), `the player loaded ${playlistUrl}; requests: ${requested.filter((u) => !u.includes('/_next/')).join(', ')}`);
    assert.ok(requested.some((u) => u.startsWith(`${hlsBase}/${slug}-`) && u.endsWith('.ts')), 'the player loaded segments');
    for (const url of requested) assert.ok(!url.includes(streamKey), `a browser request carried the key: ${url}`);
  });

  it('no file name, path or playlist line under the HLS directory contains the key', async () => {
    const files = await assertNoKeyInHls(streamKey);
    assert.ok(files.includes(`${slug}.m3u8`), `HLS written under the slug: ${files.join(', ')}`);
    assert.ok(files.every((f) => f === `${slug}.m3u8` || new RegExp(`^${slug}-\\d+\\.ts$`).test(f)), files.join(', '));
    const playlist = await readFile(join(hlsDir, `${slug}.m3u8`), 'utf8');
    assert.match(playlist, new RegExp(`^${slug}-\\d+\\.ts$`, 'm'));
  });

  it('while live, the key opens nothing for a viewer: no RTMP play, no HLS under its name', async () => {
    for (const name of [streamKey, slug]) {
      const probe = startProcess('ffprobe', ['-v', 'error', '-rw_timeout', '8000000', '-i', `${serverUrl}/${name}`]);
      const code = await Promise.race([probe.exited(), new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000))]);
      if (code === 'running') await probe.stop();
      assert.notEqual(code, 0, `RTMP play of live/${name === slug ? '<slug>' : '<key>'} must be refused`);
    }
    const byKey = await fetch(`${hlsBase}/${streamKey}.m3u8`);
    await byKey.body?.cancel();
    assert.equal(byKey.status, 404);
    assert.equal((await channelRow()).isLive, true, 'the probes did not disturb the stream');
  });

  it('stopping the publisher marks the channel offline and the page replaces the player with "Stream ended"', async () => {
    const stoppedAt = Date.now();
    await publisher.stop();
    await waitFor('the channel to be offline', async () => !(await channelRow()).isLive, 20_000, diagnostics);
    const offlineMs = Date.now() - stoppedAt;
    await watcher.getByText('Stream ended').waitFor({ timeout: 30_000 });
    const endedMs = Date.now() - stoppedAt;
    assert.equal(await watcher.locator('video').count(), 0, 'no player left on the page');
    // nginx-rtmp itself never ends the playlist: the app's on_publish_done is what ended the page.
    const playlistPath = join(hlsDir, `${slug}.m3u8`);
    const stale = existsSync(playlistPath) ? await readFile(playlistPath, 'utf8') : null;
    if (stale !== null) assert.ok(!stale.includes('#EXT-X-ENDLIST'));
    console.log(
      `nginx-rtmp drop-in: publisher stopped -> channel offline ${offlineMs} ms, page "Stream ended" ${endedMs} ms; ` +
        `nginx playlist at that moment: ${stale === null ? 'already deleted' : 'still on disk, no ENDLIST'}`,
    );
    await watcher.close();
  });

  it('the bare key works too: relayed, HLS still under the slug, and offline after stop', async () => {
    const before = Date.now();
    const bare = publishTestPattern({ url: `${serverUrl}/${streamKey}`, gop: 30 });
    publishers.push(bare);
    await waitFor('the channel to be live', async () => (await channelRow()).isLive, 20_000, diagnostics);
    // A fresh segment of this publish, written under the slug.
    await waitFor(
      'a new segment under the slug',
      async () => {
        const files = await listFiles(hlsDir);
        for (const file of files.filter((f) => f.endsWith('.ts'))) {
          if (((await stat(join(hlsDir, file)).catch(() => null))?.mtimeMs ?? 0) > before) return true;
        }
        return false;
      },
      30_000,
      diagnostics,
    );
    const playlist = await fetch(`${hlsBase}/${slug}.m3u8`);
    assert.equal(playlist.status, 200);
    assert.equal(playlist.headers.get('access-control-allow-origin'), '*');
    assert.match(await playlist.text(), /^#EXTM3U/);
    const files = await assertNoKeyInHls(streamKey);
    assert.ok(files.every((f) => f.startsWith(`${slug}`)), files.join(', '));

    await bare.stop();
    await waitFor('the channel to be offline', async () => !(await channelRow()).isLive, 20_000, diagnostics);
    await assertNoKeyInHls(streamKey);
  });

  it('a publisher that stalls without disconnecting is dropped (drop_idle_publisher 10s) and the channel goes offline', async () => {
    // 4 s of FLV, then an input that stays open and silent: ffmpeg keeps the RTMP connection but sends nothing.
    const flv = execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-t', '4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-f', 'flv', '-',
    ], { maxBuffer: 64 * 1024 * 1024 });
    // A short probe, so that ffmpeg opens the RTMP output from the 4 s it has.
    const staller = startProcess('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re', '-analyzeduration', '500000', '-probesize', '65536', '-f', 'flv', '-i', 'pipe:0', '-c', 'copy', '-f', 'flv', `${serverUrl}/${keyToPaste}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    publishers.push(staller);
    staller.child.stdin?.write(flv);
    await waitFor('the channel to be live', async () => (await channelRow()).isLive, 20_000, () => `${diagnostics()}\n--- ffmpeg ---\n${staller.output()}`);
    const liveAt = Date.now();
    await waitFor('the idle publisher to be dropped', async () => !(await channelRow()).isLive, 45_000, diagnostics);
    const droppedAfter = Date.now() - liveAt;
    console.log(`nginx-rtmp drop-in: a stalled publisher was dropped ${droppedAfter} ms after going live (4 s of media, then silence)`);
    assert.ok(droppedAfter > 8_000, `dropped after ${droppedAfter} ms: too early to be the idle timeout`);
    staller.child.stdin?.end();
    await staller.stop(2_000);
  });
});

describe('alfg/nginx-rtmp snippet', () => {
  const SNIPPET = join(root, 'media-server', 'nginx', 'alfg-nginx-rtmp.snippet.conf');

  /** The directives between two numbered steps of the snippet, without its comment lines. */
  function section(text: string, from: string, to: string): string {
    const start = text.indexOf(from);
    const end = text.indexOf(to, start);
    assert.ok(start >= 0 && end > start, `snippet has steps "${from}" and "${to}"`);
    return text
      .slice(start, end)
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
  }

  it('pasted into an alfg-style config, nginx accepts it (nginx -t)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onair-nginx-snippet-'));
    try {
      const text = await readFile(SNIPPET, 'utf8');
      // The image has /opt/data; here the same paths live under the temp dir (nginx creates the
      // last directory of hls_path itself, at start, but not its parents).
      const rtmpPart = section(text, '# 1.', '# 2.').replaceAll('/opt/data/', `${dir}/`);
      const httpPart = section(text, '# 2.', '# 3.').replaceAll('/opt/data/', `${dir}/`);
      const controlPart = section(text, '# 3.', '# 4.').replace('127.0.0.1:8936', `127.0.0.1:${await freePort()}`);
      assert.match(rtmpPart, /application stream \{[\s\S]*on_publish \$\{ONAIR_URL\}\/api\/rtmp\/on-publish\?secret=\$\{RTMP_CALLBACK_SECRET\};/);
      assert.match(rtmpPart, /application onair_hls \{[\s\S]*hls_nested off;/);
      assert.match(httpPart, /location \/onair\/ \{/);
      assert.match(rtmpPart, /on_update \$\{ONAIR_URL\}\/api\/rtmp\/on-update\?secret=\$\{RTMP_CALLBACK_SECRET\};/);
      assert.match(controlPart, /listen 127\.0\.0\.1:\d+;\s+allow 127\.0\.0\.1;\s+deny all;\s+location \/control\/ \{\s+rtmp_control all;/);
      // The shape of the image's config (its own `hls` app and /hls location stay), with the snippet in.
      const template = [
        'include /etc/nginx/modules-enabled/*.conf;',
        'daemon off;',
        'events { worker_connections 64; }',
        'rtmp { server { listen 127.0.0.1:${RTMP_PORT}; chunk_size 4000;',
        rtmpPart,
        `application hls { live on; hls on; hls_path ${dir}/hls; hls_nested on; }`,
        '} }',
        `http { server { listen 127.0.0.1:\${HTTP_PORT}; location /hls { root ${dir}; }`,
        httpPart,
        '}',
        controlPart,
        '}',
      ].join('\n');
      // The image substitutes every variable of its environment; here only ours.
      const rendered = execFileSync('envsubst', ['${RTMP_PORT} ${HTTP_PORT} ${ONAIR_URL} ${RTMP_CALLBACK_SECRET}'], {
        input: template,
        encoding: 'utf8',
        env: {
          ...process.env,
          RTMP_PORT: String(await freePort()),
          HTTP_PORT: String(await freePort()),
          ONAIR_URL: 'http://127.0.0.1:3000',
          RTMP_CALLBACK_SECRET: 'a-long-callback-secret',
        },
      });
      assert.ok(!rendered.includes('${'));
      const confPath = join(dir, 'nginx.conf');
      await writeFile(confPath, rendered);
      const checked = startProcess('nginx', ['-t', '-c', confPath, '-p', '/usr/share/nginx/', '-g', `pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')};`]);
      const code = await checked.exited();
      assert.equal(code, 0, `nginx -t refused the snippet:\n${checked.output()}\n${rendered}`);
      assert.match(checked.output(), /syntax is ok/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
