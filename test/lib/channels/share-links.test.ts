// What the Share control and the OG tags link to (lib/channels/share-links.ts,
// lib/channels/channel-metadata.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelMetadata } from '../../../lib/channels/channel-metadata';
import { embedCode, shareLinks, type ShareEnv } from '../../../lib/channels/share-links';
import type { ChannelRow } from '../../../lib/live/live-hub';
import type { RequestOrigin } from '../../../lib/request-origin';

const env: ShareEnv = { PUBLIC_URL: undefined, PUBLIC_RTMP_URL: undefined, MEDIA_SERVER: 'bundled', RTMP_PORT: 1935, RTMP_APP: 'live' };
const origin: RequestOrigin = { protocol: 'http', host: 'onair.lan:3000', hostname: 'onair.lan' };

describe('share links', () => {
  it('builds every link on the host the browser used', () => {
    assert.deepEqual(shareLinks(env, origin, { slug: 'alice', streamer: 'Alice' }), {
      siteUrl: 'http://onair.lan:3000',
      pageUrl: 'http://onair.lan:3000/alice',
      embedUrl: 'http://onair.lan:3000/alice/embed',
      embedCode:
        '<iframe src="http://onair.lan:3000/alice/embed" width="640" height="360" title="Alice on OnAir" style="border:0" ' +
        'allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>',
      rtmpPlayUrl: 'rtmp://onair.lan:1935/live/alice',
      thumbnailUrl: 'http://onair.lan:3000/api/thumbnails/alice',
    });
  });

  it('uses PUBLIC_URL when set', () => {
    const links = shareLinks({ ...env, PUBLIC_URL: 'https://tv.example.com/' }, origin, { slug: 'alice', streamer: 'Alice' });
    assert.equal(links.pageUrl, 'https://tv.example.com/alice');
    assert.equal(links.embedUrl, 'https://tv.example.com/alice/embed');
  });

  it('an invalid NGINX_RTMP_RELAY_URL is no relay here (the callbacks report it)', () => {
    const links = shareLinks({ ...env, MEDIA_SERVER: 'nginx-rtmp', NGINX_RTMP_RELAY_URL: 'rtmp://name.example/x' }, origin, { slug: 'alice', streamer: 'A' });
    assert.equal(links.rtmpPlayUrl, 'rtmp://onair.lan:1935/live/alice');
    const relayed = shareLinks({ ...env, MEDIA_SERVER: 'nginx-rtmp', NGINX_RTMP_RELAY_URL: 'rtmp://127.0.0.1/onair_hls' }, origin, { slug: 'alice', streamer: 'A' });
    assert.equal(relayed.rtmpPlayUrl, 'rtmp://onair.lan:1935/onair_hls/alice');
  });

  it('escapes the display name inside the iframe code', () => {
    assert.match(embedCode('http://x/a/embed', 'Bob "<b>" & co'), /title="Bob &quot;&lt;b&gt;&quot; &amp; co"/);
  });
});

describe('channel page metadata (Open Graph, Twitter card)', () => {
  const row: ChannelRow = {
    id: 'c1',
    slug: 'alice',
    title: 'Speedrun night',
    description: 'Trying for a new record.',
    category: null,
    streamer: 'Alice',
    isLive: true,
    liveSince: new Date('2026-12-04T10:00:00Z'),
    lastLiveAt: null,
  };
  const links = { pageUrl: 'https://tv.example.com/alice', thumbnailUrl: 'https://tv.example.com/api/thumbnails/alice' };

  it('live: video.other, the live state in title and description, the thumbnail as a large image', () => {
    const meta = channelMetadata(row, links);
    assert.equal(meta.title, 'Speedrun night — Alice');
    assert.equal(meta.description, 'Live now: Alice is streaming on OnAir. Trying for a new record.');
    assert.deepEqual(meta.openGraph, {
      type: 'video.other',
      siteName: 'OnAir',
      url: links.pageUrl,
      title: '🔴 LIVE · Speedrun night — Alice',
      description: meta.description,
      images: [{ url: links.thumbnailUrl, alt: "Alice's channel" }],
    });
    assert.deepEqual(meta.twitter, {
      card: 'summary_large_image',
      title: '🔴 LIVE · Speedrun night — Alice',
      description: meta.description,
      images: [{ url: links.thumbnailUrl, alt: "Alice's channel" }],
    });
  });

  it('offline: website, says so, and a long description is cut at a word', () => {
    const meta = channelMetadata({ ...row, isLive: false, description: `${'word '.repeat(100)}end` }, links);
    assert.equal((meta.openGraph as { type?: string }).type, 'website');
    assert.equal((meta.openGraph as { title?: string }).title, 'Speedrun night — Alice');
    assert.match(meta.description ?? '', /^Alice is offline\. word word/);
    assert.ok((meta.description ?? '').length <= 200);
    assert.match(meta.description ?? '', /word…$/);
  });
});
