// Addresses a client cannot forge, through the real web server (scripts/web-server.mjs) and
// next-auth's real credentials endpoint: X-Forwarded-For counts only from a trusted proxy, every
// sign-in is limited per address and per username, and forwarded host/scheme follow the same rule.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { createDb } from '../../../lib/db';
import { hashPassword } from '../../../lib/passwords';
import { startWebApp, type WebApp } from '../../helpers/web-app';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly these headers (fetch would not let us set Host). */
function rawRequest(app: WebApp, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** next-auth's sign-in redirect carries its idea of the site's base URL as callbackUrl. */
function callbackOf(response: RawResponse): string | null {
  return new URL(String(response.headers.location), 'http://relative.invalid').searchParams.get('callbackUrl');
}

async function csrf(app: WebApp): Promise<{ token: string; cookie: string }> {
  const response = await fetch(`${app.url}/api/auth/csrf`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { token: csrfToken, cookie: response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

/** One credentials sign-in attempt through next-auth's endpoint, from the "address" `forwardedFor` claims. */
async function attempt(app: WebApp, form: { username: string; password: string }, headers: Record<string, string>): Promise<number> {
  const { token, cookie } = await csrf(app);
  const body = new URLSearchParams({ ...form, csrfToken: token }).toString();
  const response = await rawRequest(app, 'POST', '/api/auth/callback/credentials', {
    host: `127.0.0.1:${app.port}`,
    cookie,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  }, body);
  return response.status;
}

/** Reads an event stream until its first `viewers` event and returns the count in it. */
async function firstViewersEvent(response: Response): Promise<number> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before a viewers event:\n${text}`);
    text += decoder.decode(value, { stream: true });
    const match = /event: viewers\ndata: (\{.*\})\n/.exec(text);
    if (match?.[1]) return (JSON.parse(match[1]) as { viewers: number }).viewers;
  }
}

/** Opens until one answers `status` (a slot is released when the server sees the client go, a moment later). */
async function waitForStatus(open: () => Promise<{ response: Response }>, status: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { response } = await open();
    if (response.status === status) return;
    assert.ok(Date.now() < deadline, `still ${response.status} after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function addUser(app: WebApp, username: string, password: string): Promise<void> {
  const db = createDb(app.databaseUrl);
  try {
    await createUserWithChannel(db, { username, passwordHash: await hashPassword(password) });
  } finally {
    await db.$disconnect();
  }
}

describe('client addresses, no proxy trusted (TRUST_PROXY unset)', { timeout: 300_000 }, () => {
  let app: WebApp;
  before(async () => {
    app = await startWebApp();
    await addUser(app, 'victim', 'the right password');
  });
  after(async () => app?.stop());

  it('30 wrong passwords with a different X-Forwarded-For (and forged internal header) each: 429 after 10', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(
        await attempt(app, { username: 'victim', password: `guess ${i}` }, {
          'x-forwarded-for': `198.51.100.${i}`,
          'x-real-ip': `198.51.100.${i}`,
          'x-onair-client-addr': `203.0.113.${i}`,
          'x-onair-self': 'a guess at the server token',
        }),
      );
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(302), statuses.join(' '));
    assert.deepEqual(statuses.slice(10), Array(20).fill(429), statuses.join(' '));
  });

  it('counts at most VIEWERS_PER_ADDRESS (default 3) event streams from one address as viewers', async () => {
    const controllers: AbortController[] = [];
    try {
      let last = -1;
      for (let i = 0; i < 6; i++) {
        const controller = new AbortController();
        controllers.push(controller);
        // Each "tab" claims another address; only the socket's counts.
        const response = await fetch(`${app.url}/api/channels/victim/events`, { signal: controller.signal, headers: { 'x-forwarded-for': `198.51.100.${i}` } });
        assert.equal(response.status, 200);
        last = await firstViewersEvent(response);
      }
      assert.equal(last, 3, 'the sixth connection from one address is told 3 viewers');
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });

  it('ignores a client-sent X-Forwarded-Host: next-auth redirects to the Host the browser used', async () => {
    const response = await rawRequest(app, 'GET', '/api/auth/signin', { host: `onair.test:${app.port}`, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    assert.equal(response.status, 302);
    assert.equal(callbackOf(response), `http://onair.test:${app.port}`, String(response.headers.location));
  });
});

describe('event streams per address (EVENT_STREAMS_PER_ADDRESS)', { timeout: 300_000 }, () => {
  let app: WebApp;
  before(async () => {
    app = await startWebApp({ env: { EVENT_STREAMS_PER_ADDRESS: '8' } });
    await addUser(app, 'victim', 'a password');
    await addUser(app, 'second', 'another password');
  });
  after(async () => app?.stop());

  it('holds at most EVENT_STREAMS_PER_ADDRESS (here 8) event streams from one address, all channels together; 503 beyond, free again once one ends', async () => {
    const controllers: AbortController[] = [];
    const open = async (path: string, forwardedFor: string) => {
      const controller = new AbortController();
      controllers.push(controller);
      const response = await fetch(`${app.url}${path}`, { signal: controller.signal, headers: { 'x-forwarded-for': forwardedFor } });
      if (response.status !== 200) await response.body?.cancel();
      return { response, controller };
    };
    try {
      // Watch pages, an embed and pop-out chats of two channels share the address's 8 slots.
      const paths = ['/api/channels/victim/events', '/api/channels/second/events', '/api/channels/victim/events?chat=0', '/api/channels/second/chat/events'];
      const held = [];
      for (let i = 0; i < 8; i++) held.push(await open(paths[i % paths.length]!, `198.51.100.${i}`));
      assert.deepEqual(held.map((h) => h.response.status), Array(8).fill(200));
      const refused = await open('/api/channels/second/events', '198.51.100.99');
      assert.equal(refused.response.status, 503);
      assert.equal(refused.response.headers.get('retry-after'), '30');
      const refusedChat = await open('/api/channels/victim/chat/events', '198.51.100.98');
      assert.equal(refusedChat.response.status, 503);
      // A tab closes: its slot is free for the next one.
      held[0]!.controller.abort();
      await waitForStatus(() => open('/api/channels/victim/events', '198.51.100.97'), 200);
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });
});

describe('the web server process', { timeout: 120_000 }, () => {
  it('SIGTERM with an event stream open: closes it and exits 0', async () => {
    const app = await startWebApp();
    try {
      await addUser(app, 'quiet', 'the right password');
      const events = await fetch(`${app.url}/api/channels/quiet/events`);
      assert.equal(events.status, 200);
      assert.equal(await firstViewersEvent(events), 1);
      const t0 = Date.now();
      process.kill(app.process.pid, 'SIGTERM');
      assert.equal(await app.process.exited(), 0, app.output().slice(-2000));
      assert.ok(Date.now() - t0 < 8_000, `took ${Date.now() - t0} ms`);
    } finally {
      await app.stop();
    }
  });
});

describe('client addresses behind one trusted proxy (TRUST_PROXY=1)', { timeout: 300_000 }, () => {
  let app: WebApp;
  before(async () => {
    app = await startWebApp({ env: { TRUST_PROXY: '1' } });
    await addUser(app, 'victim', 'the right password');
  });
  after(async () => app?.stop());

  it('30 wrong passwords for one username from 30 real client addresses: 429 after 10 (per username)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(await attempt(app, { username: 'victim', password: `guess ${i}` }, { 'x-forwarded-for': `198.51.100.${i}` }));
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(302), statuses.join(' '));
    assert.deepEqual(statuses.slice(10), Array(20).fill(429), statuses.join(' '));
  });

  it('one client address trying many usernames: 429 after 10 (per address); an IPv6 client counts as its /64', async () => {
    const v4: number[] = [];
    for (let i = 0; i < 12; i++) v4.push(await attempt(app, { username: `nobody${i}`, password: 'x' }, { 'x-forwarded-for': '192.0.2.77' }));
    assert.deepEqual(v4, [...Array(10).fill(302), 429, 429]);
    const v6: number[] = [];
    for (let i = 0; i < 12; i++) v6.push(await attempt(app, { username: `someone${i}`, password: 'x' }, { 'x-forwarded-for': `2001:db8:7:7::${i + 1}` }));
    assert.deepEqual(v6, [...Array(10).fill(302), 429, 429], 'twelve addresses of one /64 are one client');
  });

  it('takes the host and scheme the proxy forwarded', async () => {
    const response = await rawRequest(app, 'GET', '/api/auth/signin', { host: `127.0.0.1:${app.port}`, 'x-forwarded-host': 'stream.example.com', 'x-forwarded-proto': 'https' });
    assert.equal(response.status, 302);
    assert.equal(callbackOf(response), 'https://stream.example.com', String(response.headers.location));
  });
});
