// The callback routes of the REAL app (next start, production build), driven by the exact bytes
// nginx-rtmp sent in the captures (HTTP/1.0 over a TCP socket).
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../../../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../../../../lib/db';
import { rawRequestBytes, rewrittenRequestBytes } from '../../../../helpers/nginx-rtmp-fixtures';
import { sendRawHttp } from '../../../../helpers/raw-http';
import { startWebApp, type WebApp } from '../../../../helpers/web-app';

describe('POST /api/rtmp/on-publish and on-publish-done (real app, raw captured bytes)', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;
  let target: (endpoint: 'on-publish' | 'on-publish-done') => string;
  let counter = 0;

  async function channelWithKey() {
    const username = `route_${++counter}`;
    const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null });
    const { key } = await resetStreamKey(db, user.id);
    return { channel, key, slug: username, userId: user.id };
  }
  const channelState = (id: string) => db.channel.findUniqueOrThrow({ where: { id }, select: { isLive: true } });

  before(async () => {
    app = await startWebApp();
    db = createDb(app.databaseUrl);
    target = (endpoint) => `/api/rtmp/${endpoint}?secret=${encodeURIComponent(app.callbackSecret)}`;
  });
  after(async () => {
    await db?.$disconnect();
    await app?.stop();
  });

  const captures = [
    { n: 1, endpoint: 'on-publish', status: 403, body: 'malformed stream key\n' },
    { n: 2, endpoint: 'on-publish-done', status: 200, body: 'OK\n' },
    { n: 3, endpoint: 'on-publish', status: 403, body: 'malformed stream key\n' },
    { n: 4, endpoint: 'on-publish-done', status: 200, body: 'OK\n' },
    { n: 5, endpoint: 'on-publish', status: 403, body: 'malformed stream key\n' },
    { n: 6, endpoint: 'on-publish', status: 403, body: 'malformed stream key\n' },
    { n: 7, endpoint: 'on-publish-done', status: 200, body: 'OK\n' },
  ] as const;
  for (const { n, endpoint, status, body } of captures) {
    it(`captured request #${n} unchanged: ${status} (its name is no stream key)`, async () => {
      const response = await sendRawHttp(app.port, rawRequestBytes(n, target(endpoint)));
      assert.equal(response.status, status, response.body);
      assert.equal(response.body, body);
    });
  }

  it('refuses a missing or wrong ?secret= with 403, and nothing changes', async () => {
    const { channel, key } = await channelWithKey();
    const good = rewrittenRequestBytes(1, '/api/rtmp/on-publish', { name: key, clientid: '500' });
    const missing = await sendRawHttp(app.port, good);
    assert.equal(missing.status, 403);
    assert.equal(missing.body, 'bad callback secret\n');
    const wrong = await sendRawHttp(app.port, rewrittenRequestBytes(1, `/api/rtmp/on-publish?secret=${app.callbackSecret}x`, { name: key, clientid: '501' }));
    assert.equal(wrong.status, 403);
    assert.equal((await channelState(channel.id)).isLive, false);
    assert.equal(await db.streamSession.count({ where: { channelId: channel.id } }), 0);
    assert.match(app.output(), /"event":"callback_refused","reason":"wrong secret"/);
  });

  it('form (a): #1 with name=<key> -> 302 Location: <slug>; #2 with the same name closes the session', async () => {
    const { channel, key, slug } = await channelWithKey();
    const response = await sendRawHttp(app.port, rewrittenRequestBytes(1, target('on-publish'), { name: key, clientid: '600' }));
    assert.equal(response.status, 302, response.body);
    assert.equal(response.headers.get('location'), slug);
    const session = await db.streamSession.findFirstOrThrow({ where: { channelId: channel.id } });
    assert.deepEqual(
      { addr: session.publisherAddr, software: session.publisherSoftware, clientId: session.clientId, endedAt: session.endedAt },
      { addr: '127.0.0.1', software: 'FMLE/3.0 (compatible; Lavf59.27', clientId: '600', endedAt: null },
    );
    assert.equal((await channelState(channel.id)).isLive, true);

    const second = await sendRawHttp(app.port, rewrittenRequestBytes(1, target('on-publish'), { name: key, clientid: '601' }));
    assert.equal(second.status, 403);
    assert.equal(second.body, 'channel is already live\n');

    const done = await sendRawHttp(app.port, rewrittenRequestBytes(2, target('on-publish-done'), { name: key, clientid: '600' }));
    assert.equal(done.status, 200);
    assert.equal((await channelState(channel.id)).isLive, false);
    const closed = await db.streamSession.findUniqueOrThrow({ where: { id: session.id } });
    assert.equal(closed.endReason, 'publish_done');
  });

  it('form (b): #6 with name=<slug> and key=<key> appended after the other query args -> 200; #7 closes', async () => {
    const { channel, key, slug } = await channelWithKey();
    const response = await sendRawHttp(app.port, rewrittenRequestBytes(6, target('on-publish'), { name: slug, clientid: '700' }, { key }));
    assert.equal(response.status, 200, response.body);
    assert.equal(response.headers.get('location'), undefined);
    assert.equal((await channelState(channel.id)).isLive, true);
    const done = await sendRawHttp(app.port, rewrittenRequestBytes(7, target('on-publish-done'), { name: slug, clientid: '700' }, { key }));
    assert.equal(done.status, 200);
    assert.equal((await channelState(channel.id)).isLive, false);
  });

  it('a reset key is refused at once', async () => {
    const { key, userId } = await channelWithKey();
    await resetStreamKey(db, userId);
    const response = await sendRawHttp(app.port, rewrittenRequestBytes(1, target('on-publish'), { name: key, clientid: '800' }));
    assert.equal(response.status, 403);
    assert.equal(response.body, 'unknown or reset stream key\n');
  });

  it('refuses JSON callbacks (the SRS and MediaMTX dialects are not spoken): 400, channel stays offline', async () => {
    const { channel, key, slug } = await channelWithKey();
    const srs = { action: 'on_publish', client_id: 'srs1', ip: '10.0.0.7', app: 'live', stream: slug, param: `?key=${key}` };
    const response = await fetch(`${app.url}${target('on-publish')}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(srs) });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /unsupported content type "application\/json"/);
    assert.equal((await channelState(channel.id)).isLive, false);
  });

  it('answers 400 to bodies it cannot parse, and to oversized ones', async () => {
    const post = (body: string, type: string) => fetch(`${app.url}${target('on-publish')}`, { method: 'POST', headers: { 'content-type': type }, body });
    const noName = await post('app=live&call=publish', 'application/x-www-form-urlencoded');
    assert.equal(noName.status, 400);
    assert.match(await noName.text(), /missing field "name"/);
    assert.equal((await post('{', 'application/json')).status, 400);
    assert.equal((await post(`call=publish&name=x&pad=${'a'.repeat(20_000)}`, 'application/x-www-form-urlencoded')).status, 400);
    assert.equal((await post('x', 'text/plain')).status, 400);
  });

  it('decides an on_publish in milliseconds over HTTP (measured)', async () => {
    const { key, slug } = await channelWithKey();
    const samples: number[] = [];
    const rounds = 200;
    for (let i = 0; i < rounds; i += 1) {
      const publishBytes = rewrittenRequestBytes(1, target('on-publish'), { name: key, clientid: String(10_000 + i) });
      const t0 = performance.now();
      const response = await sendRawHttp(app.port, publishBytes);
      samples.push(performance.now() - t0);
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), slug);
      const done = await sendRawHttp(app.port, rewrittenRequestBytes(2, target('on-publish-done'), { name: key, clientid: String(10_000 + i) }));
      assert.equal(done.status, 200);
    }
    samples.sort((a, b) => a - b);
    const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] ?? NaN;
    console.log(
      `on_publish decision over HTTP/1.0 (new TCP connection each, SQLite, ${rounds} rounds): p50 ${pct(50).toFixed(2)} ms, p90 ${pct(90).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${pct(100).toFixed(2)} ms`,
    );
    // Generous bound for a loaded 2-core machine; the measured numbers are printed above.
    assert.ok(pct(50) < 50, `p50 ${pct(50)} ms`);
  });

  it('keeps up with 200 callbacks/s (100 publish + 100 publish_done per second, 5 s, measured)', async () => {
    const channels = await Promise.all(Array.from({ length: 20 }, () => channelWithKey()));
    const rate = 200;
    const seconds = 5;
    const publishMs: number[] = [];
    const doneMs: number[] = [];
    const start = performance.now();
    const pending: Promise<void>[] = [];
    const previous = new Map<string, Promise<void> | undefined>();
    // Each channel alternates publish -> done; callbacks are paced on a fixed schedule, not back to back.
    for (let i = 0; i < (rate * seconds) / 2; i += 1) {
      const channel = channels[i % channels.length];
      assert.ok(channel);
      const clientid = String(20_000 + i);
      const at = start + (i * 2 * 1000) / rate;
      const prior = previous.get(channel.slug);
      pending.push(
        (async () => {
          await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
          // The previous round of this channel must be done before it can publish again.
          await prior;
          const t0 = performance.now();
          const published = await sendRawHttp(app.port, rewrittenRequestBytes(1, target('on-publish'), { name: channel.key, clientid }));
          publishMs.push(performance.now() - t0);
          assert.equal(published.status, 302, published.body);
          const t1 = performance.now();
          const done = await sendRawHttp(app.port, rewrittenRequestBytes(2, target('on-publish-done'), { name: channel.key, clientid }));
          doneMs.push(performance.now() - t1);
          assert.equal(done.status, 200);
        })(),
      );
      previous.set(channel.slug, pending.at(-1));
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - start) / 1000;
    const stats = (samples: number[]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      const pct = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(2);
      return `p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`;
    };
    console.log(
      `paced ${rate} callbacks/s for ${seconds} s (${publishMs.length + doneMs.length} callbacks in ${elapsed.toFixed(2)} s, SQLite): on_publish ${stats(publishMs)}; on_publish_done ${stats(doneMs)}`,
    );
    assert.equal(publishMs.length, (rate * seconds) / 2, 'every paced publish got its 302');
    // Only a sanity bound: the numbers printed above are the measurement (the machine is shared).
    assert.ok(elapsed < seconds * 20, `fell far behind: ${elapsed} s for ${seconds} s of schedule`);
  });
});
