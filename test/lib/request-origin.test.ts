import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostnameOf, requestOrigin } from '../../lib/request-origin';

describe('requestOrigin', () => {
  const cases: Array<{ name: string; headers: Record<string, string>; protocol: string; host: string; hostname: string }> = [
    { name: 'the Host header', headers: { host: 'onair.test:3000' }, protocol: 'http', host: 'onair.test:3000', hostname: 'onair.test' },
    { name: 'the forwarded host and scheme the web server set', headers: { host: '127.0.0.1:3000', 'x-forwarded-host': 'Stream.Example.com', 'x-forwarded-proto': 'https' }, protocol: 'https', host: 'stream.example.com', hostname: 'stream.example.com' },
    { name: 'IPv6 literal', headers: { host: '[2001:db8::5]:3000' }, protocol: 'http', host: '[2001:db8::5]:3000', hostname: '[2001:db8::5]' },
    { name: 'junk host', headers: { host: 'evil/host' }, protocol: 'http', host: 'localhost', hostname: 'localhost' },
    { name: 'no host at all', headers: {}, protocol: 'http', host: 'localhost', hostname: 'localhost' },
    { name: 'unknown scheme is http', headers: { host: 'a.test', 'x-forwarded-proto': 'gopher' }, protocol: 'http', host: 'a.test', hostname: 'a.test' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(requestOrigin(new Headers(c.headers)), { protocol: c.protocol, host: c.host, hostname: c.hostname }));
  }

  it('takes the hostname of a Host header value', () => {
    assert.equal(hostnameOf('name:80'), 'name');
  });
});
