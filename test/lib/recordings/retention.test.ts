import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRetention, type RetentionItem } from '../../../lib/recordings/retention';

const GB = 1024 ** 3;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4);
const item = (id: string, channelId: string, daysAgo: number, gb: number): RetentionItem => ({ id, channelId, startedAt: new Date(NOW - daysAgo * DAY), sizeBytes: gb * GB });
const NONE = { maxAgeDays: null, maxGb: null };

describe('planRetention', () => {
  const items = [item('a3', 'a', 3, 1), item('a1', 'a', 1, 1), item('b5', 'b', 5, 2), item('a10', 'a', 10, 1), item('b2', 'b', 2, 2)];

  it('no limits: nothing goes', () => assert.deepEqual(planRetention(items, new Map(), NONE, NOW), []));
  it('site age: older than the limit goes, oldest first', () => {
    assert.deepEqual(planRetention(items, new Map(), { maxAgeDays: 4, maxGb: null }, NOW), ['a10', 'b5']);
  });
  it('site size: the oldest go until the rest fits', () => {
    // total 7 GB; limit 4 -> drop a10 (1), b5 (2): 4 left.
    assert.deepEqual(planRetention(items, new Map(), { maxAgeDays: null, maxGb: 4 }, NOW), ['a10', 'b5']);
  });
  it('channel size: only that channel, oldest first', () => {
    assert.deepEqual(planRetention(items, new Map([['a', { maxAgeDays: null, maxGb: 1.5 }]]), NONE, NOW), ['a10', 'a3']);
  });
  it('channel age is stricter than the site age', () => {
    assert.deepEqual(planRetention(items, new Map([['a', { maxAgeDays: 2, maxGb: null }]]), { maxAgeDays: 30, maxGb: null }, NOW), ['a10', 'a3']);
  });
  it('what age already removed counts toward size', () => {
    assert.deepEqual(planRetention(items, new Map(), { maxAgeDays: 7, maxGb: 5 }, NOW), ['a10', 'b5']);
  });
});
