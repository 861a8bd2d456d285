import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddress, parseTrustProxy, TrustProxyError } from '../../src/http/client-address.js';

describe('http client address', () => {
  describe('parseTrustProxy', () => {
    for (const text of [undefined, '', ' ', '0', 'false']) {
      it(`${JSON.stringify(text)} is off`, () => assert.equal(parseTrustProxy(text).kind, 'none'));
    }
    it('a number is a hop count', () => assert.deepEqual(parseTrustProxy('2'), { kind: 'hops', hops: 2 }));
    it('a list of addresses and CIDRs', () => assert.equal(parseTrustProxy('10.0.0.1, 192.168.0.0/16,fd00::/8').kind, 'list'));
    for (const bad of ['11', 'proxy.example', '10.0.0.0/33', 'fd00::/129', '10.0.0.1,', '10.0.0.0/x', '1.2.3']) {
      it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseTrustProxy(bad), TrustProxyError));
    }
  });

  describe('clientAddress', () => {
    const cases: Array<{ name: string; socket: string; xff: string | undefined; trust: string; client: string }> = [
      { name: 'no trust: the socket, whatever the header says', socket: '203.0.113.9', xff: '1.1.1.1', trust: '', client: '203.0.113.9' },
      { name: 'IPv4-mapped socket address', socket: '::ffff:203.0.113.9', xff: undefined, trust: '', client: '203.0.113.9' },
      { name: 'one hop: the rightmost entry', socket: '10.0.0.2', xff: '6.6.6.6, 198.51.100.7', trust: '1', client: '198.51.100.7' },
      { name: 'two hops: second from the right', socket: '10.0.0.2', xff: '6.6.6.6, 198.51.100.7, 10.0.0.3', trust: '2', client: '198.51.100.7' },
      { name: 'hops beyond the list: the leftmost entry', socket: '10.0.0.2', xff: '198.51.100.7', trust: '3', client: '198.51.100.7' },
      { name: 'hops without a header: the socket', socket: '10.0.0.2', xff: undefined, trust: '1', client: '10.0.0.2' },
      { name: 'hops: garbage entry stops the walk', socket: '10.0.0.2', xff: '198.51.100.7, nonsense', trust: '2', client: '10.0.0.2' },
      { name: 'list: untrusted socket is the client', socket: '203.0.113.9', xff: '1.1.1.1', trust: '10.0.0.0/8', client: '203.0.113.9' },
      { name: 'list: first untrusted from the right', socket: '10.0.0.2', xff: '6.6.6.6, 198.51.100.7, 10.1.2.3', trust: '10.0.0.0/8', client: '198.51.100.7' },
      { name: 'list: all trusted, leftmost', socket: '10.0.0.2', xff: '10.9.9.9', trust: '10.0.0.0/8', client: '10.9.9.9' },
      { name: 'list: IPv6 proxy', socket: 'fd00::1', xff: '2001:db8::5', trust: 'fd00::/8', client: '2001:db8::5' },
      { name: 'list: bracketed and mapped entries', socket: '10.0.0.2', xff: '[2001:db8::5], ::ffff:198.51.100.7', trust: '10.0.0.2', client: '198.51.100.7' },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(clientAddress(c.socket, c.xff, parseTrustProxy(c.trust)), c.client));
    }
    it('a huge header costs a bounded walk and still finds the rightmost', () => {
      const xff = `${'9.9.9.9, '.repeat(100_000)}198.51.100.7`;
      assert.equal(clientAddress('10.0.0.2', xff, parseTrustProxy('1')), '198.51.100.7');
    });
  });

});
