import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatRelative, formatViewers } from '../../../../app/_components/live/format.js';

describe('live formatting', () => {
  const durations: Array<[number, string]> = [
    [-5, '0:00'], [0, '0:00'], [7_900, '0:07'], [754_000, '12:34'], [3_723_000, '1:02:03'], [93_600_000, '26:00:00'],
  ];
  for (const [ms, text] of durations) it(`duration ${ms} ms -> ${text}`, () => assert.equal(formatDuration(ms), text));

  const viewers: Array<[number, string]> = [[0, '0 viewers'], [1, '1 viewer'], [2, '2 viewers'], [1234, '1,234 viewers'], [-1, '0 viewers']];
  for (const [n, text] of viewers) it(`viewers ${n} -> ${text}`, () => assert.equal(formatViewers(n), text));

  const now = new Date('2026-06-15T12:00:00Z');
  const relatives: Array<[string, string]> = [
    ['2026-06-15T11:59:30Z', 'just now'],
    ['2026-06-15T12:00:30Z', 'just now'],
    ['2026-06-15T11:55:00Z', '5 minutes ago'],
    ['2026-06-15T10:00:00Z', '2 hours ago'],
    ['2026-06-14T11:00:00Z', 'yesterday'],
    ['2026-05-25T12:00:00Z', '3 weeks ago'],
    ['2025-01-01T12:00:00Z', 'last year'],
  ];
  for (const [at, text] of relatives) it(`relative ${at} -> ${text}`, () => assert.equal(formatRelative(new Date(at), now), text));
});
