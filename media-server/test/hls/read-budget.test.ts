import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadBudget } from '../../src/hls/read-budget.js';

describe('hls read budget', () => {
  it('refuses past the limit, lets one oversized read through alone, and gives back', () => {
    const budget = new ReadBudget(100);
    assert.equal(budget.tryTake(60), true);
    assert.equal(budget.tryTake(50), false);
    assert.equal(budget.tryTake(40), true);
    assert.equal(budget.usedBytes, 100);
    budget.give(60);
    budget.give(40);
    assert.equal(budget.tryTake(500), true, 'alone, a read larger than the budget still goes');
    assert.equal(budget.tryTake(1), false);
    budget.give(500);
    assert.equal(budget.usedBytes, 0);
  });
});
