import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHlsPath, parseRange } from '../../src/hls/routes.js';

describe('hls routes', () => {
  const cases = [
    { path: '/live/demo/index.m3u8', value: { app: 'live', name: 'demo', resource: { type: 'multivariant' } } },
    { path: '/live/demo/media.m3u8', value: { app: 'live', name: 'demo', resource: { type: 'media' } } },
    { path: '/live/demo/ab12/init-0.mp4', value: { app: 'live', name: 'demo', resource: { type: 'init', id: 'ab12', initId: 0 } } },
    { path: '/live/demo/ab12/seg-41.m4s', value: { app: 'live', name: 'demo', resource: { type: 'segment', id: 'ab12', msn: 41 } } },
    { path: '/live/demo/ab12/part-409.m4s', value: { app: 'live', name: 'demo', resource: { type: 'part', id: 'ab12', index: 409 } } },
    { path: '/live/my%20show/index.m3u8', value: { app: 'live', name: 'my show', resource: { type: 'multivariant' } } },
    { path: '/healthz', value: undefined },
    { path: '/api/streams', value: undefined },
    { path: '/live/demo/other.m3u8', value: undefined },
    { path: '/live/demo/ab12/seg-x.m4s', value: undefined },
    { path: '/a/b/c/index.m3u8', value: undefined },
    { path: '/live/%E0%A4%A/index.m3u8', value: undefined },
  ];
  for (const { path, value } of cases) {
    it(path, () => assert.deepEqual(parseHlsPath(path), value));
  }

  it('parses single byte ranges', () => {
    assert.equal(parseRange(undefined, 100), undefined);
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=50-500', 100), { start: 50, end: 99 });
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-1', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,5-6', 100), undefined);
  });
});
