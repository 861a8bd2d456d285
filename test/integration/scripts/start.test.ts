// `npm start` for real: scripts/start.mjs on random free ports with a throwaway DATA_DIR. It must
// migrate, start the web app and the media server, print what a streamer needs, wire the
// on_publish callback with the generated secret, keep its secrets across restarts, stop both on
// SIGINT with exit code 0, and stop the web app and fail when the media server dies.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../lib/channels/reset-stream-key';
import { mediaServerLaunch } from '../../../scripts/lib/media-server-node-flags.mjs';
import { createDb } from '../../../lib/db';
import { hashPassword } from '../../../lib/passwords';
import { publishTestPattern } from '../../../media-server/test/helpers/ffmpeg.js';
import { freePort } from '../../../media-server/test/helpers/ports.js';
import { startProcess, type ManagedProcess } from '../../../media-server/test/helpers/process.js';
import { ensureNextBuild } from '../../helpers/web-app';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const startScript = join(root, 'scripts', 'start.mjs');

/** Settings start.mjs reads; none may leak in from the environment the tests run in. */
const OWN_SETTINGS = [
  'PORT', 'RTMP_PORT', 'MEDIA_HTTP_PORT', 'RTMP_APP', 'MEDIA_SERVER', 'DATA_DIR', 'DATABASE_URL', 'PUBLIC_URL', 'PUBLIC_RTMP_URL',
  'PUBLIC_HLS_URL', 'NEXTAUTH_SECRET', 'NEXTAUTH_URL', 'RTMP_CALLBACK_SECRET', 'MEDIA_SERVER_API_TOKEN', 'MEDIA_SERVER_API_URL', 'NODE_TEST_CONTEXT',
  'TRUST_PROXY', 'REGISTRATION', 'VIEWERS_PER_ADDRESS', 'EVENT_STREAMS_PER_ADDRESS', 'AUTH_TRUST_HOST',
  // Set when the tests themselves run under `npm test`; start.mjs run directly must not see it.
  'npm_lifecycle_event',
];

interface Ports {
  web: number;
  rtmp: number;
  mediaHttp: number;
}

async function freePorts(): Promise<Ports> {
  return { web: await freePort(), rtmp: await freePort(), mediaHttp: await freePort() };
}

function startEnv(ports: Ports, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Telemetry "on" from outside: start.mjs must switch it off for everything it runs.
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '0' };
  for (const key of OWN_SETTINGS) delete env[key];
  Object.assign(env, { PORT: String(ports.web), RTMP_PORT: String(ports.rtmp), MEDIA_HTTP_PORT: String(ports.mediaHttp), DATA_DIR: dataDir });
  // A developer's .env could name their own database; the test must never migrate or touch it.
  if (existsSync(join(root, '.env'))) env.DATABASE_URL = `file:${join(dataDir, 'onair.db')}`;
  return { ...env, ...extra };
}

function startScriptProcess(env: NodeJS.ProcessEnv): ManagedProcess {
  return startProcess(process.execPath, [startScript], { cwd: root, env });
}

function pidOf(output: string, name: string): number {
  const match = new RegExp(`\\[onair\\] ${name} started \\(pid (\\d+)\\)`).exec(output);
  assert.ok(match?.[1], `no pid line for ${name} in:\n${output.slice(-3000)}`);
  return Number(match[1]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const PASSWORD = 'starter password 1';

/** Signs in through next-auth's credentials endpoint; returns the Cookie header of the session. */
async function signIn(base: string, username: string, password: string): Promise<string> {
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  const csrf = (await csrfResponse.json()) as { csrfToken: string };
  const cookies = csrfResponse.headers.getSetCookie().map((c) => c.split(';')[0]);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ username, password, csrfToken: csrf.csrfToken }).toString(),
    redirect: 'manual',
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => /session-token=./.test(c));
  assert.ok(session, `no session cookie (status ${response.status})`);
  return session;
}

async function readSecrets(dataDir: string): Promise<Record<string, unknown>> {
  return JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, unknown>;
}

describe('npm start (scripts/start.mjs)', { timeout: 600_000 }, () => {
  let dataDir: string;
  const started: ManagedProcess[] = [];

  before(async () => {
    // Shares web-app.ts's locked "build if stale": when this returns, start.mjs finds .next current.
    await ensureNextBuild();
    dataDir = await mkdtemp(join(tmpdir(), 'onair-start-'));
  });

  after(async () => {
    for (const child of started) await child.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses bad configuration with exit code 2 and says which setting', async () => {
    const ports = await freePorts();
    const child = startScriptProcess(startEnv(ports, join(dataDir, 'bad'), { RTMP_PORT: 'rtmp', MEDIA_SERVER: 'wowza' }));
    started.push(child);
    assert.equal(await child.exited(), 2, child.output());
    assert.match(child.output(), /RTMP_PORT="rtmp": must be a port number/);
    assert.match(child.output(), /MEDIA_SERVER="wowza": must be bundled or nginx-rtmp/);
    assert.doesNotMatch(child.output(), /applying database migrations/);
  });

  it('refuses a 9-character RTMP_CALLBACK_SECRET before starting anything, naming the variable and the rule', async () => {
    const ports = await freePorts();
    const child = startScriptProcess(startEnv(ports, join(dataDir, 'short-secret'), { RTMP_CALLBACK_SECRET: 'ninechars', TRUST_PROXY: 'maybe' }));
    started.push(child);
    assert.equal(await child.exited(), 2, child.output());
    assert.match(child.output(), /RTMP_CALLBACK_SECRET=\(9 characters\): must be at least 16 characters/);
    assert.match(child.output(), /TRUST_PROXY="maybe": /, 'every bad setting at once');
    assert.ok(!child.output().includes('ninechars'), 'the secret itself is not printed');
    assert.doesNotMatch(child.output(), /applying database migrations|started \(pid/);
  });

  it('says which port is taken before touching anything', async () => {
    const ports = await freePorts();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(ports.rtmp, '127.0.0.1', () => r()));
    try {
      const child = startScriptProcess(startEnv(ports, join(dataDir, 'busy')));
      started.push(child);
      assert.equal(await child.exited(), 1, child.output());
      assert.match(child.output(), new RegExp(`already in use: RTMP_PORT=${ports.rtmp} \\(is OnAir already running\\?`));
      assert.doesNotMatch(child.output(), /applying database migrations/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('stops with a clear error, starting nothing, when migrations fail', async () => {
    const ports = await freePorts();
    // The database's folder cannot be created: its parent is a plain file.
    const notADirectory = join(dataDir, 'not-a-directory');
    writeFileSync(notADirectory, '');
    const child = startScriptProcess(startEnv(ports, join(dataDir, 'bad-db'), { DATABASE_URL: `file:${join(notADirectory, 'onair.db')}` }));
    started.push(child);
    assert.equal(await child.exited(), 1, child.output());
    assert.match(child.output(), /database migrations failed \(see above\); nothing was started/);
    assert.doesNotMatch(child.output(), /started \(pid/);
  });

  it('first start: migrates, serves both, prints the URLs, wires on_publish and on_record_done, and stops on SIGINT with 0', { timeout: 400_000 }, async () => {
    const ports = await freePorts();
    const t0 = Date.now();
    const child = startScriptProcess(startEnv(ports, dataDir));
    started.push(child);
    await child.waitForOutput(/\[onair\] Ctrl-C stops everything\./, 300_000);
    const readyMs = Date.now() - t0;
    const output = child.output();
    console.log(`# measured: first start ready after ${readyMs} ms${/building the web app/.test(output) ? ' (including a web app build)' : ''}${/building the media server/.test(output) ? ' (including a media server build)' : ''}`);

    // What the streamer reads.
    assert.match(output, new RegExp(`web app: +http://localhost:${ports.web}\\b`));
    assert.match(output, new RegExp(`RTMP server: +rtmp://localhost:${ports.rtmp}/live +\\(OBS`));
    assert.match(output, new RegExp(`HLS: +http://localhost:${ports.mediaHttp}/live\\b`));
    assert.match(output, new RegExp(`stream key: +sign up at http://localhost:${ports.web}/signup, then Dashboard -> Stream setup`));
    assert.match(output, /applied 1 migration|applied \d+ migration\(s\)/);
    // No admin yet: the one-time setup link, on a line of its own, once.
    const setupLines = output.split('\n').filter((line) => line.includes('/signup?setup='));
    assert.equal(setupLines.length, 1, output);
    assert.match(setupLines[0] ?? '', new RegExp(`^http://localhost:${ports.web}/signup\\?setup=[A-Za-z0-9_-]{43}$`));

    // Both answer.
    const home = await fetch(`http://127.0.0.1:${ports.web}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /OnAir/);
    const health = await fetch(`http://127.0.0.1:${ports.mediaHttp}/healthz`);
    assert.equal(health.status, 200);
    // The media server runs with its bin's Node flags, as `onair-media-server` would.
    const mediaArgv = readFileSync(`/proc/${pidOf(output, 'media-server')}/cmdline`, 'utf8').split('\0');
    const launch = mediaServerLaunch(root);
    assert.deepEqual(mediaArgv.slice(1, 1 + launch.nodeFlags.length), launch.nodeFlags, mediaArgv.join(' '));
    // ...and the environment it sets (glibc reads MALLOC_ARENA_MAX only at startup).
    const mediaEnviron = readFileSync(`/proc/${pidOf(output, 'media-server')}/environ`, 'utf8').split('\0');
    for (const [name, value] of Object.entries(launch.env)) assert.ok(mediaEnviron.includes(`${name}=${value}`), `${name}=${value} in the media server's environment`);

    // DATA_DIR holds the database and the generated secrets (owner-only).
    assert.ok(existsSync(join(dataDir, 'onair.db')), 'the SQLite database lives in DATA_DIR');
    assert.ok(!existsSync(join(root, 'data', 'secrets.json')) || statSync(join(root, 'data', 'secrets.json')).mtimeMs < t0, 'the repo data/ is left alone');
    const secrets = await readSecrets(dataDir);
    assert.match(String(secrets.NEXTAUTH_SECRET), /^[\w-]{43}$/);
    assert.match(String(secrets.RTMP_CALLBACK_SECRET), /^[\w-]{43}$/);
    assert.match(String(secrets.MEDIA_SERVER_API_TOKEN), /^[\w-]{43}$/);
    assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);

    // The callbacks are wired with the generated secret: a publish with a real key (made in the
    // database start.mjs migrated) is accepted and renamed to the channel; a wrong key is refused.
    const db = createDb(`file:${join(dataDir, 'onair.db')}`);
    let key: string;
    try {
      const { user } = await createUserWithChannel(db, { username: 'starter', passwordHash: await hashPassword(PASSWORD) });
      key = (await resetStreamKey(db, user.id)).key;
    } finally {
      await db.$disconnect();
    }
    const refused = publishTestPattern({ url: `rtmp://127.0.0.1:${ports.rtmp}/live/not-a-key`, durationSeconds: 5 });
    started.push(refused);
    assert.notEqual(await refused.exited(), 0, 'a wrong key is refused');
    const publisher = publishTestPattern({ url: `rtmp://127.0.0.1:${ports.rtmp}/live/${key}`, durationSeconds: 30 });
    started.push(publisher);
    // index.m3u8 is the multivariant playlist; its one variant lists the segments.
    const playlistUrl = `http://127.0.0.1:${ports.mediaHttp}/live/starter/index.m3u8`;
    const deadline = Date.now() + 30_000;
    let playlist = '';
    while (Date.now() < deadline) {
      const index = await fetch(playlistUrl);
      const variant = index.ok ? /^[^#\s].*$/m.exec(await index.text())?.[0] : undefined;
      const media = variant === undefined ? undefined : await fetch(new URL(variant, playlistUrl));
      playlist = media?.ok ? await media.text() : '';
      if (/#EXTINF/.test(playlist)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(playlist, /#EXTINF/, `no HLS segments for the channel:\n${child.output().slice(-3000)}`);
    await publisher.stop();

    // With no PUBLIC_* URLs, the pages derive them from the request's host and the configured
    // ports: the dashboard's Server URL and the player's playlist both point at this start's ports.
    const base = `http://127.0.0.1:${ports.web}`;
    const dashboard = await (await fetch(`${base}/dashboard`, { headers: { cookie: await signIn(base, 'starter', PASSWORD) } })).text();
    assert.match(dashboard, new RegExp(`data-testid="server-url">rtmp://127\\.0\\.0\\.1:${ports.rtmp}/live<`), 'the Server URL on the dashboard');
    const channelPage = await (await fetch(`${base}/starter`)).text();
    assert.ok(channelPage.includes(`http://127.0.0.1:${ports.mediaHttp}/live/starter/index.m3u8`), 'the player loads HLS from MEDIA_HTTP_PORT');

    // Past broadcasts are on by default: both processes share <DATA_DIR>/recordings, and after the
    // end grace the media server announces the recording through ON_RECORD_DONE_URL (the generated
    // secret, from its environment): the web app registers it.
    const recordings = join(dataDir, 'recordings');
    for (const name of ['web', 'media-server']) {
      assert.ok(readFileSync(`/proc/${pidOf(output, name)}/environ`, 'utf8').split('\0').includes(`RECORD_DIR=${recordings}`), `RECORD_DIR in the environment of ${name}`);
    }
    const recordedDb = createDb(`file:${join(dataDir, 'onair.db')}`);
    try {
      let broadcast = null;
      for (const until = Date.now() + 60_000; broadcast === null && Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
        broadcast = await recordedDb.broadcast.findFirst({ where: { channel: { slug: 'starter' } } });
      }
      assert.ok(broadcast, `no past broadcast registered:\n${child.output().slice(-3000)}`);
      assert.match(broadcast.folder, /^live\/starter\/[a-z0-9]{8,32}$/);
      assert.match(readFileSync(join(recordings, broadcast.folder, 'index.m3u8'), 'utf8'), /#EXT-X-ENDLIST/);
    } finally {
      await recordedDb.$disconnect();
    }

    // The callback secret never appears on a command line (visible to every user through ps).
    const webPid = pidOf(output, 'web');
    const mediaPid = pidOf(output, 'media-server');
    for (const pid of [child.pid, webPid, mediaPid]) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      for (const name of ['RTMP_CALLBACK_SECRET', 'NEXTAUTH_SECRET', 'MEDIA_SERVER_API_TOKEN']) {
        assert.ok(!argv.includes(String(secrets[name])), `${name} in argv of ${pid}`);
      }
    }
    assert.ok(!child.output().includes(String(secrets.RTMP_CALLBACK_SECRET)), 'the secret is never printed');
    assert.ok(!child.output().includes(String(secrets.MEDIA_SERVER_API_TOKEN)), 'the API token is never printed');
    // Both processes get the API token, through the environment.
    for (const pid of [webPid, mediaPid]) {
      assert.ok(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`MEDIA_SERVER_API_TOKEN=${String(secrets.MEDIA_SERVER_API_TOKEN)}`), `token in the environment of ${pid}`);
    }
    assert.ok(!readFileSync(`/proc/${mediaPid}/environ`, 'utf8').includes(String(secrets.NEXTAUTH_SECRET)), 'the media server never gets NEXTAUTH_SECRET');
    // Next.js telemetry is off in the web server although the environment said otherwise.
    assert.ok(readFileSync(`/proc/${webPid}/environ`, 'utf8').split('\0').includes('NEXT_TELEMETRY_DISABLED=1'), 'NEXT_TELEMETRY_DISABLED=1 in the web app');
    // The web app runs in our own HTTP server (scripts/web-server.mjs), not `next start`.
    assert.ok(readFileSync(`/proc/${webPid}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith('scripts/web-server.mjs')));

    // Ctrl-C: both children stop, the script exits 0.
    const stopAt = Date.now();
    process.kill(child.pid, 'SIGINT');
    assert.equal(await child.exited(), 0, child.output().slice(-3000));
    console.log(`# measured: SIGINT to exit ${Date.now() - stopAt} ms`);
    assert.equal(isAlive(webPid), false, 'web app stopped');
    assert.equal(isAlive(mediaPid), false, 'media server stopped');
    assert.match(child.output(), /web stopped/);
    assert.match(child.output(), /media-server stopped/);
    const refusedConnection = await fetch(`http://127.0.0.1:${ports.web}/`).then(() => false, () => true);
    assert.ok(refusedConnection, 'nothing listens on the web port any more');
  });

  it('second start reuses the secrets and the database; the media server dying stops the web app and fails the script', { timeout: 300_000 }, async () => {
    const before = readFileSync(join(dataDir, 'secrets.json'), 'utf8');
    const ports = await freePorts();
    const child = startScriptProcess(startEnv(ports, dataDir));
    started.push(child);
    await child.waitForOutput(/\[onair\] Ctrl-C stops everything\./, 180_000);
    const output = child.output();
    assert.match(output, /no pending migrations/);
    // No assertion on "nothing was rebuilt": in a shared working tree another change to app/ or
    // media-server/src between the two starts legitimately makes a build stale. Printed instead.
    console.log(`# second start rebuilt: web app ${/building the web app/.test(output)}, media server ${/building the media server/.test(output)}`);
    assert.equal(readFileSync(join(dataDir, 'secrets.json'), 'utf8'), before, 'secrets.json unchanged');
    assert.equal((await fetch(`http://127.0.0.1:${ports.web}/starter`)).status, 200, 'the channel made in the first run is still there');

    const webPid = pidOf(output, 'web');
    const mediaPid = pidOf(output, 'media-server');
    process.kill(mediaPid, 'SIGKILL');
    const code = await child.exited();
    assert.notEqual(code, 0, 'the supervisor fails when a child dies');
    assert.match(child.output(), /media-server exited unexpectedly \(signal SIGKILL\)/);
    assert.match(child.output(), /stopping \(media-server died\)/);
    assert.equal(isAlive(webPid), false, 'the web app was stopped too');
  });

  it('npm run dev (--dev): next dev and the media server from source under --watch, SIGTERM stops both with 0', { timeout: 240_000 }, async () => {
    const ports = await freePorts();
    const child = startProcess(process.execPath, [startScript, '--dev'], { cwd: root, env: startEnv(ports, dataDir) });
    started.push(child);
    await child.waitForOutput(/\[onair\] Ctrl-C stops everything\./, 180_000);
    const output = child.output();
    assert.match(output, /\[onair\] ready \(dev mode: hot reload\)/);
    assert.doesNotMatch(output, /building the/, 'dev mode never builds');
    const webArgv = readFileSync(`/proc/${pidOf(output, 'web')}/cmdline`, 'utf8').split('\0');
    assert.ok(webArgv.includes('--dev') && webArgv[webArgv.indexOf('--port') + 1] === String(ports.web), webArgv.join(' '));
    assert.ok(readFileSync(`/proc/${pidOf(output, 'web')}/environ`, 'utf8').split('\0').includes('NEXT_TELEMETRY_DISABLED=1'), 'telemetry off in dev');
    const mediaArgv = readFileSync(`/proc/${pidOf(output, 'media-server')}/cmdline`, 'utf8').split('\0');
    assert.ok(mediaArgv.includes('--watch') && mediaArgv.some((arg) => arg.endsWith('media-server/src/main.ts')), mediaArgv.join(' '));
    for (const flag of mediaServerLaunch(root).nodeFlags) assert.ok(mediaArgv.includes(flag), `${flag} in ${mediaArgv.join(' ')}`);
    assert.equal((await fetch(`http://127.0.0.1:${ports.web}/`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${ports.mediaHttp}/healthz`)).status, 200);
    process.kill(child.pid, 'SIGTERM');
    assert.equal(await child.exited(), 0, child.output().slice(-3000));
  });

  it('under npm start, `kill <npm pid>` stops everything (npm does not pass it on to us)', { timeout: 240_000 }, async () => {
    const ports = await freePorts();
    const npm = startProcess('npm', ['start'], { cwd: root, env: startEnv(ports, dataDir) });
    started.push(npm);
    await npm.waitForOutput(/\[onair\] Ctrl-C stops everything\./, 180_000);
    const pids = [pidOf(npm.output(), 'web'), pidOf(npm.output(), 'media-server')];
    process.kill(npm.pid, 'SIGTERM');
    await npm.exited();
    const deadline = Date.now() + 30_000;
    while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const leftovers = pids.filter(isAlive);
    for (const pid of leftovers) process.kill(pid, 'SIGKILL'); // never leave servers behind, even on failure
    assert.deepEqual(leftovers, [], `still running after npm was killed:\n${npm.output().slice(-2000)}`);
    const refused = await fetch(`http://127.0.0.1:${ports.web}/`).then(() => false, () => true);
    assert.ok(refused, 'nothing listens on the web port any more');
  });
});
