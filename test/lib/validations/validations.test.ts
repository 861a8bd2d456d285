import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { rtmpServerUrl, streamKeyToPaste } from '../../../lib/channels/stream-setup';
import { hostnameOf } from '../../../lib/request-origin';
import { clientAddress, clientKey } from '../../../lib/client-address';
import { parseEnv } from '../../../lib/env';
import { channelSettingsSchema } from '../../../lib/validations/channel';
import { signInSchema, signUpSchema, usernameSchema } from '../../../lib/validations/auth';

describe('username rules', () => {
  const cases: Array<{ input: string; value?: string; error?: RegExp }> = [
    { input: 'alice', value: 'alice' },
    { input: 'Alice_01', value: 'alice_01' },
    { input: '  bob  ', value: 'bob' },
    { input: 'abc', value: 'abc' },
    { input: 'a'.repeat(30), value: 'a'.repeat(30) },
    { input: 'ab', error: /at least 3/ },
    { input: 'a'.repeat(31), error: /at most 30/ },
    { input: 'al-ice', error: /letters, digits and underscores/ },
    { input: 'al ice', error: /letters, digits and underscores/ },
    { input: 'élan', error: /letters, digits and underscores/ },
    { input: 'api', error: /reserved/ },
    { input: 'Dashboard', error: /reserved/ },
    { input: 'LIVE', error: /reserved/ },
    { input: 'hls', error: /reserved/ },
    { input: '_next', error: /reserved/ },
    { input: 'static', error: /reserved/ },
    { input: 'admin', error: /reserved/ },
    { input: 'login', error: /reserved/ },
    { input: 'signup', error: /reserved/ },
    { input: 'settings', error: /reserved/ },
  ];
  for (const { input, value, error } of cases) {
    it(`${error ? 'refuses' : 'accepts'} ${JSON.stringify(input)}`, () => {
      const result = usernameSchema.safeParse(input);
      if (value !== undefined) assert.deepEqual(result, { success: true, data: value });
      else {
        assert.equal(result.success, false);
        assert.match(result.error?.issues.map((i) => i.message).join(' ') ?? '', error ?? /./);
      }
    });
  }

  it('sign-up reports every field error at once, including mismatched passwords', () => {
    const result = signUpSchema.safeParse({ username: 'x', password: 'short', confirmPassword: 'other' });
    assert.equal(result.success, false);
    const fields = z.flattenError(result.error!).fieldErrors;
    assert.ok(fields.username?.[0]?.includes('at least 3'));
    assert.ok(fields.password?.[0]?.includes('at least 8'));
    const mismatch = signUpSchema.safeParse({ username: 'xyz', password: 'long enough', confirmPassword: 'long enougH' });
    assert.deepEqual(z.flattenError(mismatch.error!).fieldErrors, { confirmPassword: ['Passwords do not match.'] });
  });

  it('sign-in lowercases and bounds, nothing more', () => {
    assert.deepEqual(signInSchema.parse({ username: ' Alice ', password: 'p' }), { username: 'alice', password: 'p' });
    assert.equal(signInSchema.safeParse({ username: 'alice', password: 'x'.repeat(201) }).success, false);
    assert.equal(signInSchema.safeParse({ username: '', password: 'x' }).success, false);
  });
});

describe('channel settings', () => {
  it('trims, bounds and turns an empty category into null', () => {
    assert.deepEqual(channelSettingsSchema.parse({ title: ' My show ', description: ' hi ', category: ' ' }), {
      title: 'My show',
      description: 'hi',
      category: null,
    });
    const bad = channelSettingsSchema.safeParse({ title: '', description: 'x'.repeat(2001), category: 'c'.repeat(51) });
    assert.deepEqual(Object.keys(z.flattenError(bad.error!).fieldErrors).sort(), ['category', 'description', 'title']);
  });
});

describe('stream setup panel values', () => {
  it('derives the server URL from the request host unless PUBLIC_RTMP_URL is set', () => {
    assert.equal(rtmpServerUrl(undefined, '192.168.1.20:3000'), 'rtmp://192.168.1.20:1935/live');
    assert.equal(rtmpServerUrl(undefined, 'onair.lan'), 'rtmp://onair.lan:1935/live');
    assert.equal(rtmpServerUrl(undefined, '[::1]:3000'), 'rtmp://[::1]:1935/live');
    assert.equal(rtmpServerUrl(undefined, 'evil/host'), 'rtmp://localhost:1935/live');
    assert.equal(rtmpServerUrl('rtmp://stream.example.com/app', 'x:1'), 'rtmp://stream.example.com/app');
    assert.equal(hostnameOf(''), null);
    // RTMP_PORT / RTMP_APP of the bundled media server, when not the defaults.
    assert.equal(rtmpServerUrl(undefined, '127.0.0.1:13000', { port: 11935, app: 'stream' }), 'rtmp://127.0.0.1:11935/stream');
    assert.equal(rtmpServerUrl('rtmp://stream.example.com/app', 'x:1', { port: 11935 }), 'rtmp://stream.example.com/app');
  });

  it('tells bundled users to paste the key and nginx-rtmp users <slug>?key=<key>', () => {
    assert.equal(streamKeyToPaste('bundled', 'alice', 'live_K'), 'live_K');
    assert.equal(streamKeyToPaste('nginx-rtmp', 'alice', 'live_K'), 'alice?key=live_K');
  });

  it('takes the client address only from the web server\'s internal header, never X-Forwarded-For', () => {
    assert.equal(clientAddress(new Headers({ 'x-forwarded-for': '1.1.1.1, 10.0.0.2', 'x-real-ip': '10.0.0.3' })), 'unknown');
    assert.equal(clientAddress(new Headers({ 'x-onair-client-addr': '::ffff:10.0.0.4' })), '10.0.0.4');
    assert.equal(clientKey({ 'x-onair-client-addr': '2001:db8:1:2:aaaa::1' }), '2001:db8:1:2::/64');
    assert.equal(clientKey(new Headers({ 'x-onair-client-addr': 'not an address' })), 'unknown');
  });
});

describe('environment', () => {
  it('applies defaults', () => {
    const env = parseEnv({});
    assert.equal(env.MEDIA_SERVER, 'bundled');
    assert.equal(env.DATABASE_URL, 'file:./data/onair.db');
    assert.equal(env.MEDIA_SERVER_API_URL, 'http://127.0.0.1:8935/api/streams');
    assert.equal(parseEnv({ MEDIA_HTTP_PORT: '9000' }).MEDIA_SERVER_API_URL, 'http://127.0.0.1:9000/api/streams');
    assert.equal(parseEnv({ PUBLIC_URL: 'https://tv.example' }).NEXTAUTH_URL, 'https://tv.example');
    assert.equal(parseEnv({ PUBLIC_RTMP_URL: '' }).PUBLIC_RTMP_URL, undefined);
  });

  it('names every bad variable', () => {
    assert.throws(
      () => parseEnv({ MEDIA_SERVER: 'wowza', PUBLIC_RTMP_URL: 'http://x', RTMP_CALLBACK_SECRET: 'short' }),
      (error: Error) => ['MEDIA_SERVER', 'PUBLIC_RTMP_URL', 'RTMP_CALLBACK_SECRET'].every((name) => error.message.includes(name)),
    );
  });
});
