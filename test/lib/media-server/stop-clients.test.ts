// The clients lib/moderation stops streams with (bundled kick, nginx-rtmp control drop) and the
// bearer on /api/streams, against a loopback HTTP server speaking the documented contracts (the real
// servers are exercised in test/integration/moderation-*.test.ts). Also their settings.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseEnv } from '../../../lib/env';
import { bundledKickUrl, kickBundledStream } from '../../../lib/media-server/bundled-kick';
import { fetchLiveStreams } from '../../../lib/media-server/live-streams';
import { nginxDropPublisherUrl } from '../../../lib/media-server/nginx-rtmp-control';
import { recordingLogger } from '../../helpers/logger';

const TOKEN = 'a-token-of-at-least-16-chars';
const publish = { app: 'live', streamName: 'alice', clientId: '17', publisherAddr: '203.0.113.9' };

describe('stop clients', () => {
  let server: Server;
  let base = '';
  const seen: IncomingMessage[] = [];
  let mode: 'ok' | 'not-live' | 'slow' = 'ok';

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'application/json' });
        return res.end('{"error":"unauthorized"}');
      }
      if (mode === 'slow') return;
      if (req.url?.endsWith('/kick')) {
        res.writeHead(mode === 'ok' ? 200 : 404, { 'content-type': 'application/json' });
        return res.end(mode === 'ok' ? '{"kicked":true}' : '{"error":"not live"}');
      }
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/streams`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('the kick URL is <MEDIA_SERVER_API_URL>/<app>/<name>/kick, each part one encoded path segment', () => {
    assert.equal(bundledKickUrl('http://127.0.0.1:8935/api/streams', 'live', 'alice'), 'http://127.0.0.1:8935/api/streams/live/alice/kick');
    assert.equal(bundledKickUrl('http://h/api/streams/', 'li/ve', '../x'), 'http://h/api/streams/li%2Fve/..%2Fx/kick');
  });

  it('kick: POST with the bearer; 200 stopped, 404 not live, 401 and timeouts failed (token never logged)', async () => {
    mode = 'ok';
    assert.equal(await kickBundledStream(base, publish, { token: TOKEN, timeoutMs: 1_000 }), 'stopped');
    const request = seen.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/api/streams/live/alice/kick');
    mode = 'not-live';
    assert.equal(await kickBundledStream(base, publish, { token: TOKEN, timeoutMs: 1_000 }), 'not_live');
    const logger = recordingLogger();
    assert.equal(await kickBundledStream(base, publish, { token: 'wrong-token-wrong-token', timeoutMs: 1_000, logger }), 'failed');
    assert.match(logger.text(), /"status":401.*MEDIA_SERVER_API_TOKEN differs/);
    assert.ok(!logger.text().includes('wrong-token-wrong-token') && !logger.text().includes(TOKEN));
    mode = 'slow';
    const t0 = Date.now();
    assert.equal(await kickBundledStream(base, publish, { token: TOKEN, timeoutMs: 300, logger }), 'failed');
    assert.ok(Date.now() - t0 < 2_000, 'the timeout holds');
    assert.equal(await kickBundledStream('http://127.0.0.1:9/api/streams', publish, { token: TOKEN, timeoutMs: 500, logger }), 'failed');
  });

  it('the live stream list carries the bearer', async () => {
    mode = 'ok';
    assert.deepEqual(await fetchLiveStreams(base, { token: TOKEN }), []);
    assert.equal(seen.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
    await assert.rejects(fetchLiveStreams(base), /answered 401/);
  });

  it('the nginx drop URL targets the public publisher by clientid and address, by name only without an id', () => {
    assert.equal(nginxDropPublisherUrl('http://127.0.0.1:8936/control', publish), 'http://127.0.0.1:8936/control/drop/publisher?app=live&clientid=17&addr=203.0.113.9');
    assert.equal(nginxDropPublisherUrl('http://h/control/', { ...publish, clientId: '' }), 'http://h/control/drop/publisher?app=live&name=alice');
    assert.equal(nginxDropPublisherUrl('http://h/control', { ...publish, clientId: '1 OR 1' }), 'http://h/control/drop/publisher?app=live&name=alice');
  });
});

describe('stop settings', () => {
  it('defaults: NGINX_RTMP_CONTROL_URL on the shipped loopback control server, KICK_BLOCK_MINUTES 5', () => {
    const env = parseEnv({});
    assert.equal(env.NGINX_RTMP_CONTROL_URL, 'http://127.0.0.1:8936/control');
    assert.equal(env.KICK_BLOCK_MINUTES, 5);
    assert.equal(env.MEDIA_SERVER_API_TOKEN, undefined);
    assert.equal(parseEnv({ NGINX_RTMP_CONTROL_URL: 'http://10.0.0.2:9000/ctl/' }).NGINX_RTMP_CONTROL_URL, 'http://10.0.0.2:9000/ctl');
    assert.equal(parseEnv({ KICK_BLOCK_MINUTES: '0.5' }).KICK_BLOCK_MINUTES, 0.5);
  });

  it('refuses a short API token, a negative block and a control URL that is not http(s)', () => {
    assert.throws(() => parseEnv({ MEDIA_SERVER_API_TOKEN: 'short' }), /MEDIA_SERVER_API_TOKEN=\(5 characters\): must be at least 16 characters/);
    assert.throws(() => parseEnv({ KICK_BLOCK_MINUTES: '-1' }), /KICK_BLOCK_MINUTES/);
    assert.throws(() => parseEnv({ NGINX_RTMP_CONTROL_URL: 'rtmp://127.0.0.1/control' }), /NGINX_RTMP_CONTROL_URL=.*: must be a http:\/\/ or https:\/\/ URL/);
  });
});
