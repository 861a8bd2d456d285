import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlaylistUrl, defaultHlsBase, hlsPlaylistUrl, resolveHlsBase, type MediaServerKind } from '../../lib/hls-url.js';

describe('hlsPlaylistUrl', () => {
  const cases: Array<{ name: string; publicHlsUrl?: string; requestHost?: string | null; slug: string; mediaServer: MediaServerKind; url: string }> = [
    { name: 'default base from the request host', requestHost: '192.168.1.20:3000', slug: 'alice', mediaServer: 'bundled', url: 'http://192.168.1.20:8935/live/alice/index.m3u8' },
    { name: 'default base, host without port', requestHost: 'tv.lan', slug: 'bob_1', mediaServer: 'bundled', url: 'http://tv.lan:8935/live/bob_1/index.m3u8' },
    { name: 'default base, IPv6 host', requestHost: '[::1]:3000', slug: 'alice', mediaServer: 'bundled', url: 'http://[::1]:8935/live/alice/index.m3u8' },
    { name: 'default base, no host header', requestHost: null, slug: 'alice', mediaServer: 'bundled', url: 'http://localhost:8935/live/alice/index.m3u8' },
    { name: 'default base, garbage host header', requestHost: 'evil.com/x?y', slug: 'alice', mediaServer: 'bundled', url: 'http://localhost:8935/live/alice/index.m3u8' },
    { name: 'configured CDN base wins over the host', publicHlsUrl: 'https://cdn.example.com/hls', requestHost: 'tv.lan', slug: 'alice', mediaServer: 'bundled', url: 'https://cdn.example.com/hls/alice/index.m3u8' },
    { name: 'configured base with trailing slashes', publicHlsUrl: 'https://cdn.example.com/hls//', slug: 'alice', mediaServer: 'bundled', url: 'https://cdn.example.com/hls/alice/index.m3u8' },
    { name: 'blank configuration falls back to the default', publicHlsUrl: '  ', requestHost: 'tv.lan:80', slug: 'alice', mediaServer: 'bundled', url: 'http://tv.lan:8935/live/alice/index.m3u8' },
    { name: 'nginx-rtmp flat layout (hls_nested off)', publicHlsUrl: 'http://tv.lan:8080/hls', slug: 'alice', mediaServer: 'nginx-rtmp', url: 'http://tv.lan:8080/hls/alice.m3u8' },
    { name: 'nginx-rtmp with the default base', requestHost: 'tv.lan', slug: 'alice', mediaServer: 'nginx-rtmp', url: 'http://tv.lan:8935/live/alice.m3u8' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(hlsPlaylistUrl({ publicHlsUrl: c.publicHlsUrl, requestHost: c.requestHost, slug: c.slug, mediaServer: c.mediaServer }), c.url);
    });
  }

  it('refuses anything that is not a slug, so no path or key can be smuggled into the URL', () => {
    for (const slug of ['', '../etc', 'a/b', 'Alice', 'a?x=1', 'a b', 'x'.repeat(65)]) {
      assert.throws(() => buildPlaylistUrl({ base: 'http://h/live', slug, mediaServer: 'bundled' }), /not a channel slug/, slug);
    }
  });

  it('the default follows the bundled media server port and app', () => {
    const url = hlsPlaylistUrl({ publicHlsUrl: undefined, requestHost: 'tv.lan:3000', slug: 'alice', mediaServer: 'bundled', defaultServer: { port: 9000, app: 'stream' } });
    assert.equal(url, 'http://tv.lan:9000/stream/alice/index.m3u8');
    const configured = hlsPlaylistUrl({ publicHlsUrl: 'https://cdn/x', requestHost: 'tv.lan', slug: 'alice', mediaServer: 'bundled', defaultServer: { port: 9000 } });
    assert.equal(configured, 'https://cdn/x/alice/index.m3u8');
  });

  it('exposes the two halves it is made of', () => {
    assert.equal(defaultHlsBase('Example.LAN:3000'), 'http://example.lan:8935/live');
    assert.equal(resolveHlsBase('http://x/y/', 'ignored'), 'http://x/y');
  });

  it('the default base follows MEDIA_HTTP_PORT and RTMP_APP when the media server runs elsewhere', () => {
    assert.equal(defaultHlsBase('tv.lan:13000', { port: 18935, app: 'stream' }), 'http://tv.lan:18935/stream');
    assert.equal(
      hlsPlaylistUrl({ publicHlsUrl: undefined, requestHost: '127.0.0.1:13000', slug: 'alice', mediaServer: 'bundled', defaultServer: { port: 18935 } }),
      'http://127.0.0.1:18935/live/alice/index.m3u8',
    );
    assert.equal(resolveHlsBase('https://cdn.example.com/hls', 'tv.lan', { port: 18935 }), 'https://cdn.example.com/hls');
  });
});
