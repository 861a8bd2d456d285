// lib/media-server/live-streams.ts against a real loopback HTTP server.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchLiveStreams, MediaServerError, parseLiveStreams } from '../../../lib/media-server/live-streams';

describe('media server live stream list client', () => {
  let server: Server;
  let base = '';
  const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {
    '/ok': (res) => res.end(JSON.stringify({ streams: [{ app: 'live', name: 'alice', bitrateKbps: 2500 }] })),
    '/array': (res) => res.end(JSON.stringify([{ app: 'live', name: 'bob' }])),
    '/500': (res) => {
      res.statusCode = 500;
      res.end('boom');
    },
    '/html': (res) => res.end('<html>'),
    '/huge': (res) => res.end(JSON.stringify({ streams: [], pad: 'x'.repeat(1024 * 1024 + 10) })),
    '/slow': () => undefined, // never answers
  };

  before(async () => {
    server = createServer((req, res) => {
      const route = routes[req.url ?? ''];
      if (route) route(res);
      else res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads { streams: [...] } and plain arrays, keeping extra fields', async () => {
    assert.deepEqual(await fetchLiveStreams(`${base}/ok`), [{ app: 'live', name: 'alice', details: { app: 'live', name: 'alice', bitrateKbps: 2500 } }]);
    assert.deepEqual((await fetchLiveStreams(`${base}/array`)).map((s) => s.name), ['bob']);
  });

  const failures: Array<{ name: string; path: string; error: RegExp }> = [
    { name: 'an HTTP error', path: '/500', error: /answered 500/ },
    { name: 'invalid JSON', path: '/html', error: /invalid JSON/ },
    { name: 'an oversized body', path: '/huge', error: /larger than/ },
    { name: 'no answer in time', path: '/slow', error: /did not answer/ },
  ];
  for (const { name, path, error } of failures) {
    it(`throws MediaServerError on ${name}`, async () => {
      await assert.rejects(fetchLiveStreams(`${base}${path}`, { timeoutMs: 300 }), (e: Error) => e instanceof MediaServerError && error.test(e.message));
    });
  }

  it('throws when nothing listens', async () => {
    await assert.rejects(fetchLiveStreams('http://127.0.0.1:9/api/streams', { timeoutMs: 500 }), MediaServerError);
  });

  it('refuses lists of the wrong shape', () => {
    assert.throws(() => parseLiveStreams({ live: [] }), /neither an array/);
    assert.throws(() => parseLiveStreams([{ app: 'live' }]), /lacks string "app" and "name"/);
    assert.throws(() => parseLiveStreams([null]), /not an object/);
  });
});
