import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressSlots } from '../../../lib/live/address-slots';

describe('address slots', () => {
  it('caps open connections per channel and address, and frees a slot on release (once)', () => {
    const slots = new AddressSlots({ perAddress: 2 });
    const a = slots.take('c1', '10.0.0.1');
    const b = slots.take('c1', '10.0.0.1');
    assert.ok(a && b);
    assert.equal(slots.take('c1', '10.0.0.1'), null);
    assert.ok(slots.take('c2', '10.0.0.1'), 'another channel');
    assert.ok(slots.take('c1', '10.0.0.2'), 'another address');
    a();
    a();
    assert.equal(slots.count('c1', '10.0.0.1'), 1);
    assert.ok(slots.take('c1', '10.0.0.1'));
    assert.equal(slots.take('c1', '10.0.0.1'), null);
  });
});
