import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressCounter } from '../../src/http/address-counter.js';

describe('http address counter', () => {
  it('caps per key and in total, and gives back', () => {
    const counter = new AddressCounter(2, 3);
    assert.equal(counter.tryAdd('a'), true);
    assert.equal(counter.tryAdd('a'), true);
    assert.equal(counter.tryAdd('a'), false, 'per key');
    assert.equal(counter.tryAdd('b'), true);
    assert.equal(counter.tryAdd('c'), false, 'in total');
    assert.equal(counter.total, 3);
    counter.remove('a');
    assert.equal(counter.held('a'), 1);
    assert.equal(counter.tryAdd('c'), true);
    counter.remove('nobody');
    assert.equal(counter.total, 4 - 1);
  });

  it('forgets a key at zero (no entry per address ever seen)', () => {
    const counter = new AddressCounter(1);
    for (let i = 0; i < 1000; i++) {
      assert.equal(counter.tryAdd(`k${i}`), true);
      counter.remove(`k${i}`);
    }
    assert.equal(counter.total, 0);
    assert.equal(counter.held('k1'), 0);
  });
});
