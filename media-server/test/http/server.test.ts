import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createMemoryLogger } from '../../src/logger.js';
import { StatsCollector } from '../../src/streams/stats-collector.js';

describe('http server', () => {
  let server: HttpServer;
  let base = '';
  const stats = new StatsCollector(() => 10_000);
  before(async () => {
    const sink = stats.open({ app: 'live', name: 'cam', publishedAt: new Date(0), publisherAddress: '10.0.0.7' });
    sink.write({ type: 'video-config', codec: 'h264', record: new Uint8Array(8) });
    server = createHttpServer({
      logger: createMemoryLogger(),
      listStreams: () => stats.list(),
      startedAt: new Date(),
      hls: {
        handle(req, res) {
          if (!req.url.startsWith('/live/')) return false;
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
    const res = await fetch(`${base}/api/streams`);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = (await res.json()) as { streams: Array<Record<string, unknown>> };
    assert.equal(body.streams.length, 1);
    assert.deepEqual(
      { app: body.streams[0]?.app, name: body.streams[0]?.name, startedAt: body.streams[0]?.startedAt, addr: body.streams[0]?.publisherAddress, codec: body.streams[0]?.videoCodec },
      { app: 'live', name: 'cam', startedAt: '1970-01-01T00:00:00.000Z', addr: '10.0.0.7', codec: 'h264' },
    );
  });

  it('refuses other methods on API routes', async () => {
    const res = await fetch(`${base}/api/streams`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  it('hands other paths to the HLS handler, 404 when it declines', async () => {
    assert.equal(await (await fetch(`${base}/live/cam/index.m3u8`)).text(), 'hls');
    const res = await fetch(`${base}/nothing`);
    assert.equal(res.status, 404);
    assert.equal((await fetch(`${base}/api/nope`)).status, 404);
  });
});
