import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distribution, median, percentile } from '../lib/stats.js';

describe('stats', () => {
  it('uses nearest-rank percentiles (every value reported was observed)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.deepEqual(distribution([5, 1, 3]), { count: 3, p50: 3, p90: 5, p99: 5, max: 5 });
  });
  it('takes the mean of the two middle values for an even median', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
  it('summarizes a chat run\u2019s worth of values (10^5 and more) without overflowing the stack', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => 300_000 - i);
    assert.deepEqual(distribution(values), { count: 300_000, p50: 150_000, p90: 270_000, p99: 297_000, max: 300_000 });
    assert.equal(distribution([1, Number.POSITIVE_INFINITY]).max, Number.POSITIVE_INFINITY, 'an unanswered request stays infinitely slow');
  });
});
