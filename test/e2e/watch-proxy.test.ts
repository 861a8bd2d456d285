// Live updates behind an ordinary reverse proxy: Debian's nginx with nothing but `proxy_pass`
// (proxy buffering on, HTTP/1.0 upstream, the defaults). The event streams must still deliver each
// event at once (X-Accel-Buffering: no) and a viewer who goes away must stop being counted.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db } from '../../lib/db';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { startWebApp, type WebApp } from '../helpers/web-app';

/** Reads server-sent events from a fetch body; `next()` resolves with the next event or rejects after `timeoutMs`. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(timeoutMs: number): Promise<{ event: string; data: unknown }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) return { event, data: JSON.parse(data) };
          continue; // retry: and comment blocks
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms (buffered: ${JSON.stringify(buffer)})`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), left);
          }),
        ]);
        clearTimeout(timer);
        if (chunk === 'timeout') continue;
        if (chunk.done) throw new Error('event stream closed');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

/** GET with a deadline for the response headers only (the body is read for much longer). */
async function openStream(url: string): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no response headers from ${url} within 10 s (a buffering proxy?)`)), 10_000);
  try {
    return await fetch(url, { signal: abort.signal });
  } finally {
    clearTimeout(timer);
  }
}

describe('live updates through an nginx reverse proxy', { timeout: 180_000 }, () => {
  let app: WebApp;
  let db: Db;
  let nginx: ManagedProcess;
  let dir: string;
  let proxyUrl: string;
  let channelId: string;

  before(async () => {
    app = await startWebApp();
    db = createDb(app.databaseUrl);
    ({ channel: { id: channelId } } = await createUserWithChannel(db, { username: 'alice', passwordHash: null }));
    dir = await mkdtemp(join(tmpdir(), 'onair-proxy-'));
    await mkdir(join(dir, 'logs'));
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    // The most ordinary reverse proxy there is: no SSE-specific settings at all.
    await writeFile(join(dir, 'nginx.conf'), `
user root;
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${app.port};
      proxy_set_header Host $host;
    }
  }
}
`);
    nginx = startProcess('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir]);
    await waitForPort(port, 15_000);
  });

  after(async () => {
    await nginx?.stop();
    await db?.$disconnect();
    await app?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delivers status and viewer events at once, and counts a viewer only while connected', async () => {
    const response = await openStream(`${proxyUrl}/api/channels/alice/events`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = eventReader(response.body!);
    assert.deepEqual(await events.next(5_000), {
      event: 'status',
      data: { isLive: false, liveSince: null, lastLiveAt: null, title: "alice's channel", description: '', category: null },
    });
    assert.deepEqual(await events.next(5_000), { event: 'viewers', data: { viewers: 1 } });
    // The chat rides on the same stream (issue 16): its history and room state follow on connect.
    assert.deepEqual(await events.next(5_000), {
      event: 'chat-history',
      data: { messages: [], room: { mode: 'always', open: true, slowModeSeconds: 0, maxLength: 500 } },
    });
    assert.deepEqual(await events.next(5_000), { event: 'chat-room', data: { mode: 'always', open: true, slowModeSeconds: 0, maxLength: 500 } });

    // The directory stream, also through the proxy, sees the viewer... once the channel is live.
    const directoryResponse = await openStream(`${proxyUrl}/api/channels/events`);
    const directory = eventReader(directoryResponse.body!);
    assert.deepEqual(await directory.next(5_000), { event: 'directory', data: { live: [], recent: [] } });

    // What on_publish writes; the page must hear of it within about a second, not when a buffer fills.
    const since = new Date();
    const changed = Date.now();
    await db.channel.update({ where: { id: channelId }, data: { isLive: true, liveSince: since, lastLiveAt: since } });
    const status = await events.next(5_000);
    const latencyMs = Date.now() - changed;
    assert.equal(status.event, 'status');
    assert.equal((status.data as { isLive: boolean }).isLive, true);
    console.log(`# measured: status event through nginx ${latencyMs} ms after the database changed`);
    const listed = await directory.next(5_000);
    assert.deepEqual((listed.data as { live: Array<{ slug: string; viewers: number }> }).live.map((c) => [c.slug, c.viewers]), [['alice', 1]]);

    // A second viewer through the proxy, then it goes away: the count follows.
    const second = await openStream(`${proxyUrl}/api/channels/alice/events`);
    assert.deepEqual((await events.next(5_000)).data, { viewers: 2 });
    await second.body!.cancel();
    assert.deepEqual((await events.next(10_000)).data, { viewers: 1 });

    // The last watcher leaves: the directory (which had shown 1, 2, 1) comes down to 0.
    await events.cancel();
    const deadline = Date.now() + 10_000;
    let counts: number[] = [];
    while (counts.join() !== '0') {
      const update = await directory.next(Math.max(1, deadline - Date.now()));
      counts = (update.data as { live: Array<{ viewers: number }> }).live.map((c) => c.viewers);
    }
    await directory.cancel();
  });
});
