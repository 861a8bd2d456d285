import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PublishDecision } from '../../../lib/rtmp-callbacks/authorize-publish';
import { nginxRelayAnswer, nginxRelayLocation, nginxRelayUrlFromEnv, parseNginxRelayUrl } from '../../../lib/rtmp-callbacks/nginx-relay';

/** The internal HLS app of the shipped nginx.conf (media-server/nginx/nginx.conf) on nginx's default port. */
const DEFAULT_NGINX_RTMP_RELAY_URL = 'rtmp://127.0.0.1:1935/onair_hls';

describe('parseNginxRelayUrl', () => {
  const accepted: Array<{ name: string; raw: string; value: string }> = [
    { name: 'the shipped default', raw: 'rtmp://127.0.0.1:1935/onair_hls', value: 'rtmp://127.0.0.1:1935/onair_hls' },
    { name: 'port made explicit', raw: 'rtmp://127.0.0.1/onair_hls', value: 'rtmp://127.0.0.1:1935/onair_hls' },
    { name: 'trailing slash and spaces', raw: '  rtmp://10.0.0.5:19350/hls-internal/ ', value: 'rtmp://10.0.0.5:19350/hls-internal' },
  ];
  for (const { name, raw, value } of accepted) {
    it(`accepts ${name}`, () => assert.equal(parseNginxRelayUrl(raw), value));
  }

  const refused: Array<{ name: string; raw: string; message: RegExp }> = [
    { name: 'a host name (nginx-rtmp cannot resolve it: "relay: no address")', raw: 'rtmp://localhost:1935/onair_hls', message: /IPv4/ },
    { name: 'http', raw: 'http://127.0.0.1:1935/onair_hls', message: /rtmp:\/\// },
    { name: 'no app', raw: 'rtmp://127.0.0.1:1935', message: /application name/ },
    { name: 'app plus stream', raw: 'rtmp://127.0.0.1:1935/onair_hls/x', message: /application name/ },
    { name: 'a query', raw: 'rtmp://127.0.0.1:1935/onair_hls?key=x', message: /query/ },
    { name: 'credentials', raw: 'rtmp://u:p@127.0.0.1:1935/onair_hls', message: /credentials/ },
    { name: 'not a URL', raw: 'onair_hls', message: /not a URL/ },
    { name: 'an overlong value', raw: `rtmp://127.0.0.1/${'a'.repeat(200)}`, message: /longer than/ },
  ];
  for (const { name, raw, message } of refused) {
    it(`refuses ${name}`, () => assert.throws(() => parseNginxRelayUrl(raw), message));
  }

  it('reads NGINX_RTMP_RELAY_URL; unset or empty means no relay (opt-in)', () => {
    assert.equal(nginxRelayUrlFromEnv({}), undefined);
    assert.equal(nginxRelayUrlFromEnv({ NGINX_RTMP_RELAY_URL: ' ' }), undefined);
    assert.equal(nginxRelayUrlFromEnv({ NGINX_RTMP_RELAY_URL: DEFAULT_NGINX_RTMP_RELAY_URL }), DEFAULT_NGINX_RTMP_RELAY_URL);
    assert.equal(nginxRelayUrlFromEnv({ NGINX_RTMP_RELAY_URL: 'rtmp://127.0.0.1:2000/x' }), 'rtmp://127.0.0.1:2000/x');
    assert.throws(() => nginxRelayUrlFromEnv({ NGINX_RTMP_RELAY_URL: 'rtmp://nginx/x' }), /NGINX_RTMP_RELAY_URL/);
  });
});

describe('nginxRelayLocation', () => {
  it('appends the slug as the stream name', () => {
    assert.equal(nginxRelayLocation('rtmp://127.0.0.1:1935/onair_hls', 'alice_1'), 'rtmp://127.0.0.1:1935/onair_hls/alice_1');
  });
  for (const slug of ['', 'Alice', 'a/b', 'a?key=x', 'live_abc-def', 'x'.repeat(65)]) {
    it(`refuses ${JSON.stringify(slug.slice(0, 20))} as a stream name`, () => {
      assert.throws(() => nginxRelayLocation('rtmp://127.0.0.1:1935/onair_hls', slug), /not a channel slug/);
    });
  }
});

describe('nginxRelayAnswer', () => {
  const relay = 'rtmp://127.0.0.1:1935/onair_hls';
  const forms = ['key-as-name', 'key-arg'] as const;
  for (const form of forms) {
    it(`relays an accepted ${form} publish to <internal app>/<slug> with a 302`, () => {
      const decision: PublishDecision = { allow: true, form, channelId: 'c1', name: 'alice', sessionId: 's1' };
      const answer = nginxRelayAnswer(decision, relay);
      assert.ok(answer);
      assert.equal(answer.status, 302);
      assert.equal(answer.headers.Location, 'rtmp://127.0.0.1:1935/onair_hls/alice');
    });
  }
  it('leaves a refusal to the generic answer', () => {
    const decision: PublishDecision = { allow: false, reason: 'unknown or reset stream key', code: 'unknown_key' };
    assert.equal(nginxRelayAnswer(decision, relay), null);
  });
});
