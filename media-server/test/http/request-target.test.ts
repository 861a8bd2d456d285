import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitRequestTarget } from '../../src/http/request-target.js';

describe('http request target', () => {
  const cases: Array<{ name: string; url: string | undefined; path: string; query: string }> = [
    { name: 'origin-form without query', url: '/live/cam/media.m3u8', path: '/live/cam/media.m3u8', query: '' },
    { name: 'origin-form with query', url: '/live/cam/media.m3u8?_HLS_msn=3&_HLS_part=1', path: '/live/cam/media.m3u8', query: '_HLS_msn=3&_HLS_part=1' },
    { name: 'only the first ? splits', url: '/a?b?c', path: '/a', query: 'b?c' },
    { name: 'empty query', url: '/healthz?', path: '/healthz', query: '' },
    { name: 'percent-encoding is left to the routes', url: '/live/a%20b/index.m3u8', path: '/live/a%20b/index.m3u8', query: '' },
    { name: 'absolute-form (RFC 9112 3.2.2)', url: 'http://example.com/live/cam/index.m3u8?x=1', path: '/live/cam/index.m3u8', query: 'x=1' },
    { name: 'asterisk-form', url: '*', path: '*', query: '' },
    { name: 'missing', url: undefined, path: '/', query: '' },
  ];
  for (const { name, url, path, query } of cases) {
    it(name, () => assert.deepEqual(splitRequestTarget(url), { path, query }));
  }
});
