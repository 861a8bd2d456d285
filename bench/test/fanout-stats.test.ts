import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveryDelays, mergeDeliveries, splitViewers } from '../lib/fanout-stats.js';

describe('fan-out delivery delays', () => {
  it('ties each viewer delivery to the probe listing of the same part', () => {
    const listed = new Map([
      ['10.0', 1000],
      ['10.1', 1200],
    ]);
    const result = deliveryDelays(listed, [
      ['10.0', [1010, 1030]],
      ['10.1', [1205]],
      ['10.2', [1400, 1401]],
    ]);
    assert.deepEqual(result.delays, { count: 3, p50: 10, p90: 30, p99: 30, max: 30 });
    assert.equal(result.unmatched, 2, 'deliveries of parts without an exact listing are counted apart');
  });

  it('keeps a negative delay (a viewer ahead of the probe) instead of hiding it', () => {
    assert.equal(deliveryDelays(new Map([['1.0', 500]]), [['1.0', [495]]]).delays.p50, -5);
  });

  it('merges the workers\u2019 per-part lists', () => {
    const merged = mergeDeliveries([
      [['1.0', [1, 2]]],
      [
        ['1.0', [3]],
        ['1.1', [4]],
      ],
    ]);
    assert.deepEqual([...merged], [
      ['1.0', [1, 2, 3]],
      ['1.1', [4]],
    ]);
  });

  it('splits viewers evenly over as few workers as the per-worker cap allows', () => {
    assert.deepEqual(splitViewers(1000, 250), [250, 250, 250, 250]);
    assert.deepEqual(splitViewers(501, 250), [167, 167, 167]);
    assert.deepEqual(splitViewers(20, 250), [20]);
    assert.deepEqual(splitViewers(0, 250), []);
  });
});
