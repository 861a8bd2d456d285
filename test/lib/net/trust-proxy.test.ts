import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey, normalizeAddress, parseTrustProxy, resolveForwarded } from '../../../lib/net/trust-proxy.mjs';

describe('parseTrustProxy', () => {
  it('reads nothing, hop counts and address lists', () => {
    assert.deepEqual(parseTrustProxy(undefined), { kind: 'none' });
    assert.deepEqual(parseTrustProxy(' '), { kind: 'none' });
    assert.deepEqual(parseTrustProxy('0'), { kind: 'none' });
    assert.deepEqual(parseTrustProxy('2'), { kind: 'hops', hops: 2 });
    const list = parseTrustProxy('10.0.0.1, 192.168.0.0/16, fd00::/8, ::1');
    assert.equal(list.kind, 'list');
    assert.equal(list.kind === 'list' && list.ranges.length, 4);
  });
  for (const bad of ['yes', '10.0.0.1/33', '10.0.0.0/8,', '300.1.1.1', 'fd00::/129', '17', '10.0.0.1 10.0.0.2', '-1']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseTrustProxy(bad)));
  }
});

describe('resolveForwarded', () => {
  const base = { host: 'onair.test:3000', forwardedHost: undefined, forwardedProto: undefined, encrypted: false };
  const cases: Array<{ name: string; trust: string; peer: string; xff?: string; xfh?: string; xfp?: string; client: string; host?: string; proto?: string }> = [
    { name: 'no proxy: the socket, whatever XFF says', trust: '', peer: '203.0.113.9', xff: '1.2.3.4', xfh: 'evil.example', xfp: 'https', client: '203.0.113.9', host: 'onair.test:3000', proto: 'http' },
    { name: 'IPv4-mapped socket address', trust: '', peer: '::ffff:203.0.113.9', client: '203.0.113.9' },
    { name: '1 hop: the entry the proxy appended', trust: '1', peer: '127.0.0.1', xff: '6.6.6.6, 198.51.100.7', xfh: 'stream.example.com', xfp: 'https', client: '198.51.100.7', host: 'stream.example.com', proto: 'https' },
    { name: '1 hop, no XFF: the proxy itself', trust: '1', peer: '127.0.0.1', client: '127.0.0.1' },
    { name: '2 hops', trust: '2', peer: '10.0.0.2', xff: '6.6.6.6, 198.51.100.7, 10.0.0.1', client: '198.51.100.7' },
    { name: '2 hops, header shorter than the chain: leftmost', trust: '2', peer: '10.0.0.2', xff: '198.51.100.7', client: '198.51.100.7' },
    { name: 'list: untrusted peer ignores every header', trust: '10.0.0.0/8', peer: '203.0.113.9', xff: '1.2.3.4', xfh: 'evil.example', client: '203.0.113.9', host: 'onair.test:3000' },
    { name: 'list: walks trusted hops from the right', trust: '10.0.0.0/8', peer: '10.0.0.2', xff: '6.6.6.6, 198.51.100.7, 10.0.0.1', xfh: 'a.example, stream.example.com', client: '198.51.100.7', host: 'stream.example.com' },
    { name: 'list: IPv6 proxy', trust: 'fd00::/8', peer: 'fd00::2', xff: '2001:db8::1', client: '2001:db8:0:0:0:0:0:1' },
    { name: 'trusted proxy wrote garbage: stop at the proxy', trust: '1', peer: '127.0.0.1', xff: 'not-an-ip', client: '127.0.0.1' },
    { name: 'bad forwarded host falls back to Host', trust: '1', peer: '127.0.0.1', xfh: 'evil/../x', client: '127.0.0.1', host: 'onair.test:3000' },
    { name: 'bad forwarded proto falls back to the socket', trust: '1', peer: '127.0.0.1', xfp: 'gopher', client: '127.0.0.1', proto: 'http' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = resolveForwarded(
        { ...base, peer: c.peer, forwardedFor: c.xff, forwardedHost: c.xfh, forwardedProto: c.xfp },
        parseTrustProxy(c.trust),
      );
      assert.equal(result.clientAddress, c.client);
      if (c.host !== undefined) assert.equal(result.host, c.host);
      if (c.proto !== undefined) assert.equal(result.proto, c.proto);
    });
  }
});

describe('addresses', () => {
  it('normalises and keys an IPv6 client by its /64', () => {
    assert.equal(normalizeAddress('[2001:db8::1]:443'), '2001:db8:0:0:0:0:0:1');
    assert.equal(normalizeAddress('198.51.100.7:1234'), '198.51.100.7');
    assert.equal(normalizeAddress('nope'), null);
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:ffff::9'), '2001:db8:1:2::/64', 'same /64, same key');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });
});
