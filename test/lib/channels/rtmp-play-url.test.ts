// Where VLC plays a channel (lib/channels/rtmp-play-url.ts): the same base as the OBS Server URL
// in bundled mode, the relay's slug-named app on the public host in nginx-rtmp mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nginxRtmpPlayBase, rtmpPlayUrl, type RtmpPlayUrlParams } from '../../../lib/channels/rtmp-play-url';
import { rtmpServerUrl } from '../../../lib/channels/stream-setup';

const base: RtmpPlayUrlParams = {
  mediaServer: 'bundled',
  publicRtmpUrl: undefined,
  requestHost: '192.168.1.20:3000',
  rtmpPort: 1935,
  rtmpApp: 'live',
  nginxRelayUrl: undefined,
  slug: 'alice',
};

describe('RTMP play URL', () => {
  const cases: ReadonlyArray<{ name: string; params: Partial<RtmpPlayUrlParams>; url: string }> = [
    { name: 'bundled: the request host, RTMP_PORT and RTMP_APP', params: {}, url: 'rtmp://192.168.1.20:1935/live/alice' },
    { name: 'bundled: other port and app', params: { rtmpPort: 11935, rtmpApp: 'stream' }, url: 'rtmp://192.168.1.20:11935/stream/alice' },
    { name: 'bundled: IPv6 host', params: { requestHost: '[::1]:3000' }, url: 'rtmp://[::1]:1935/live/alice' },
    { name: 'bundled: a bad host header falls back to localhost', params: { requestHost: 'evil/host' }, url: 'rtmp://localhost:1935/live/alice' },
    { name: 'bundled: PUBLIC_RTMP_URL wins', params: { publicRtmpUrl: 'rtmp://stream.example.com/live' }, url: 'rtmp://stream.example.com/live/alice' },
    { name: 'bundled: PUBLIC_RTMP_URL with a trailing slash', params: { publicRtmpUrl: 'rtmp://stream.example.com/live/' }, url: 'rtmp://stream.example.com/live/alice' },
    {
      name: 'nginx-rtmp: the relay app on the public host and port',
      params: { mediaServer: 'nginx-rtmp', publicRtmpUrl: 'rtmp://stream.example.com:1936/live', nginxRelayUrl: 'rtmp://127.0.0.1:1935/onair_hls' },
      url: 'rtmp://stream.example.com:1936/onair_hls/alice',
    },
    {
      name: 'nginx-rtmp: the relay app on the request host',
      params: { mediaServer: 'nginx-rtmp', nginxRelayUrl: 'rtmp://127.0.0.1:1935/onair_hls' },
      url: 'rtmp://192.168.1.20:1935/onair_hls/alice',
    },
    {
      name: 'nginx-rtmp without a relay: the public app, where the stream is published as <slug>?key=',
      params: { mediaServer: 'nginx-rtmp', publicRtmpUrl: 'rtmp://stream.example.com/stream' },
      url: 'rtmp://stream.example.com/stream/alice',
    },
  ];
  for (const { name, params, url } of cases) {
    it(name, () => assert.equal(rtmpPlayUrl({ ...base, ...params }), url));
  }

  it('bundled: the OBS Server URL plus the slug, so the two never disagree', () => {
    const server = rtmpServerUrl(undefined, base.requestHost, { port: base.rtmpPort, app: base.rtmpApp });
    assert.equal(rtmpPlayUrl(base), `${server}/alice`);
  });

  it('never builds a URL for a name that is not a slug (a stream key, a path)', () => {
    for (const slug of ['live_SECRETKEY', '../x', 'a/b', '']) {
      assert.throws(() => rtmpPlayUrl({ ...base, slug }), /not a channel slug/);
    }
  });

  it('keeps the server URL when it cannot be read', () => {
    assert.equal(nginxRtmpPlayBase('not a url', 'rtmp://127.0.0.1:1935/onair_hls'), 'not a url');
  });
});
