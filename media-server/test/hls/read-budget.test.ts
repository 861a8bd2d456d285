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

describe('hls read budget: step buffers', () => {
  it('lends buffers against the budget, reuses returned ones and keeps only a few spare', () => {
    const budget = new ReadBudget(4 * 1024, 1024, 2);
    const lent = [budget.lendBuffer(), budget.lendBuffer(), budget.lendBuffer(), budget.lendBuffer()];
    assert.ok(lent.every((buffer) => buffer?.length === 1024));
    assert.equal(budget.usedBytes, 4 * 1024);
    assert.equal(budget.lendBuffer(), undefined, 'spent');
    for (const buffer of lent) budget.returnBuffer(buffer!);
    assert.equal(budget.usedBytes, 0);
    assert.equal(budget.spareBuffers, 2, 'two kept, two left to the GC');
    const again = budget.lendBuffer();
    assert.ok(again === lent[0] || again === lent[1], 'a returned buffer is lent again');
    assert.equal(budget.spareBuffers, 1);
  });
});
