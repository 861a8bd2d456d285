import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey, normalizeAddress } from '../../src/net/address-key.js';

describe('address key (what the per-address caps count)', () => {
  const cases: Array<{ name: string; address: string; key: string }> = [
    { name: 'IPv4', address: '203.0.113.7', key: '203.0.113.7' },
    { name: 'IPv4-mapped IPv6', address: '::ffff:203.0.113.7', key: '203.0.113.7' },
    { name: 'IPv6, full form', address: '2001:0db8:0001:0002:0003:0004:0005:0006', key: '2001:db8:1:2::/64' },
    { name: 'IPv6, compressed tail', address: '2001:db8:1:2::1', key: '2001:db8:1:2::/64' },
    { name: 'IPv6, another host in the same /64', address: '2001:db8:1:2:ffff:ffff:ffff:ffff', key: '2001:db8:1:2::/64' },
    { name: 'IPv6, compressed inside the prefix', address: '2001:db8::5', key: '2001:db8:0:0::/64' },
    { name: 'IPv6 loopback', address: '::1', key: '0:0:0:0::/64' },
    { name: 'IPv6 with an embedded IPv4 tail', address: '64:ff9b::192.0.2.1', key: '64:ff9b:0:0::/64' },
    { name: 'IPv6 with a zone id', address: 'fe80::1%eth0', key: 'fe80:0:0:0::/64' },
    { name: 'upper case', address: '2001:DB8:A:B::1', key: '2001:db8:a:b::/64' },
  ];
  for (const { name, address, key } of cases) {
    it(`${name}: ${address} -> ${key}`, () => {
      assert.equal(addressKey(address), key);
    });
  }

  it('normalizes only real IPv4-mapped addresses', () => {
    assert.equal(normalizeAddress('::ffff:10.0.0.1'), '10.0.0.1');
    assert.equal(normalizeAddress('::ffff:1'), '::ffff:1');
    assert.equal(normalizeAddress(undefined), '');
    assert.equal(normalizeAddress('[2001:db8::1]'), '2001:db8::1');
  });
});
