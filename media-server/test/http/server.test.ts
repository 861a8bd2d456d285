import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearerChecker } from '../../src/http/bearer-token.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createMemoryLogger } from '../../src/logger.js';
import { StatsCollector } from '../../src/streams/stats-collector.js';

describe('http server', () => {
  let server: HttpServer;
  let base = '';
  const stats = new StatsCollector(() => 10_000);
  const token = 'test-token-0123456789';
  const auth = { authorization: `Bearer ${token}` };
  const kicked: string[] = [];
  before(async () => {
    const sink = stats.open({ app: 'live', name: 'cam', publishedAt: new Date(0), publisherAddress: '10.0.0.7' });
    sink.write({ type: 'video-config', codec: 'h264', record: new Uint8Array(8) });
    server = createHttpServer({
      logger: createMemoryLogger(),
      listStreams: () => stats.list(),
      startedAt: new Date(),
      authorizeApi: bearerChecker(token),
      kick: (app, name) => {
        kicked.push(`${app}/${name}`);
        return Promise.resolve(app === 'live' && name === 'cam');
      },
      hls: {
        handle(req, res) {
          if (!req.url?.startsWith('/live/')) return false;
          res.end('hls');
          return true;
        },
      },
    });
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  after(() => server.close());

  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  });

  it('lists live streams on /api/streams', async () => {
    const res = await fetch(`${base}/api/streams`, { headers: auth });
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = (await res.json()) as { streams: Array<Record<string, unknown>> };
    assert.equal(body.streams.length, 1);
    assert.deepEqual(
      { app: body.streams[0]?.app, name: body.streams[0]?.name, startedAt: body.streams[0]?.startedAt, addr: body.streams[0]?.publisherAddress, codec: body.streams[0]?.videoCodec },
      { app: 'live', name: 'cam', startedAt: '1970-01-01T00:00:00.000Z', addr: '10.0.0.7', codec: 'h264' },
    );
  });

  it('refuses other methods on API routes', async () => {
    const res = await fetch(`${base}/api/streams`, { method: 'POST', headers: auth });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  it('keeps /healthz public', async () => {
    assert.equal((await fetch(`${base}/healthz`, { headers: { authorization: 'Bearer wrong' } })).status, 200);
  });

  it('hands other paths to the HLS handler, 404 when it declines', async () => {
    assert.equal(await (await fetch(`${base}/live/cam/index.m3u8`)).text(), 'hls');
    const res = await fetch(`${base}/nothing`);
    assert.equal(res.status, 404);
    assert.equal((await fetch(`${base}/api/nope`, { headers: auth })).status, 404);
  });

  it('answers 401 on /api/ without the right bearer token, and shows nothing', async () => {
    for (const headers of [{}, { authorization: `Bearer ${token}x` }, { authorization: token }, { authorization: `Basic ${token}` }, { authorization: 'Bearer ' }]) {
      for (const [method, path] of [['GET', '/api/streams'], ['POST', '/api/streams/live/cam/kick'], ['GET', '/api/nope']] as const) {
        const res = await fetch(`${base}${path}`, { method, headers });
        assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        assert.deepEqual(await res.json(), { error: 'unauthorized' });
      }
    }
    assert.deepEqual(kicked, []);
  });

  it('kicks a live stream with POST /api/streams/<app>/<name>/kick, 404 when not live', async () => {
    const res = await fetch(`${base}/api/streams/live/cam/kick`, { method: 'POST', headers: auth });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { kicked: true });
    const gone = await fetch(`${base}/api/streams/live/other/kick`, { method: 'POST', headers: auth });
    assert.equal(gone.status, 404);
    assert.deepEqual(await gone.json(), { error: 'not live' });
    assert.equal((await fetch(`${base}/api/streams/live/cam/kick`, { headers: auth })).status, 405);
    assert.deepEqual(kicked, ['live/cam', 'live/other']);
  });

  it('refuses request bodies with 413 and closes', async () => {
    const res = await fetch(`${base}/healthz`, { method: 'POST', body: 'x'.repeat(100) });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('connection'), 'close');
  });
});
