import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderCheck, summarizeDeliveries } from '../lib/chat-stats.js';

describe('chat order check', () => {
  it('counts every id at or below the highest seen (reordered or duplicated) as a violation', () => {
    const order = new OrderCheck();
    assert.deepEqual([5, 6, 8, 7, 8, 9].map((id) => order.message(id)), [true, true, true, false, false, true]);
    assert.equal(order.violations, 2);
  });

  it('takes a history snapshot as a replacement: ids already seen are not violations, new ones are returned', () => {
    const order = new OrderCheck();
    order.message(10);
    order.message(11);
    assert.deepEqual(order.history([9, 10, 11, 12, 13]), [12, 13]);
    assert.equal(order.violations, 0);
    assert.equal(order.message(13), false, 'a live message the snapshot already brought is a duplicate');
    assert.equal(order.message(14), true);
    assert.equal(order.violations, 1);
  });

  it('counts a snapshot out of order inside itself', () => {
    const order = new OrderCheck();
    assert.deepEqual(order.history([1, 3, 2, 4]), [1, 3, 2, 4]);
    assert.equal(order.violations, 1);
  });
});

describe('chat delivery summary', () => {
  const sentAt = new Map([
    [100, 1_000],
    [101, 1_100],
  ]);

  it('gives one delay per (reader, message) from the sender timestamp, and counts lost pairs per reader', () => {
    const summary = summarizeDeliveries(
      sentAt,
      [
        [
          [100, [1_010, 1_020]],
          [101, [1_150]],
        ],
        // A message from before the window (not in sentAt) is neither a delay nor a loss.
        [[99, [990]]],
      ],
      [{ ids: [100, 101] }, { ids: [100] }, { ids: [99] }],
      3,
    );
    assert.deepEqual(summary.delays.delays, { count: 3, p50: 20, p90: 50, p99: 50, max: 50 });
    assert.deepEqual(summary.firstDelays, { count: 2, p50: 10, p90: 50, p99: 50, max: 50 }, 'per message, its earliest receipt');
    assert.equal(summary.messages, 2);
    assert.equal(summary.lost, 3, 'reader 2 missed 101, reader 3 missed both');
    assert.equal(summary.readersWithLoss, 2);
  });

  it('counts a reader that never reported as having lost every message', () => {
    const summary = summarizeDeliveries(sentAt, [[[100, [1_001]], [101, [1_101]]]], [{ ids: [100, 101] }], 4);
    assert.equal(summary.readers, 4);
    assert.equal(summary.lost, 6);
    assert.equal(summary.readersWithLoss, 3);
  });

  it('reports nothing lost when no message was sent', () => {
    const summary = summarizeDeliveries(new Map(), [], [], 5);
    assert.equal(summary.lost, 0);
    assert.equal(summary.delays.delays.count, 0);
  });
});
