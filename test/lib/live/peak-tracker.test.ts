import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeakTracker } from '../../../lib/live/peak-tracker.js';

describe('PeakTracker', () => {
  it('reports only increases within one session', () => {
    const tracker = new PeakTracker();
    const steps: Array<[string, number, number | null]> = [
      ['s1', 0, null],
      ['s1', 1, 1],
      ['s1', 1, null],
      ['s1', 3, 3],
      ['s1', 2, null],
      ['s1', 3, null],
      ['s1', 4, 4],
      ['s2', 1, 1], // a new publish starts from zero again
      ['s2', 0, null],
    ];
    for (const [session, viewers, expected] of steps) {
      assert.equal(tracker.observe('c1', session, viewers), expected, `${session} ${viewers}`);
    }
  });

  it('reports a failed write again', () => {
    const tracker = new PeakTracker();
    assert.equal(tracker.observe('c1', 's', 2), 2);
    tracker.retry('c1', 's', 2);
    assert.equal(tracker.observe('c1', 's', 2), 2);
  });

  it('starts over after the channel ended', () => {
    const tracker = new PeakTracker();
    assert.equal(tracker.observe('c1', 's', 5), 5);
    tracker.end('c1');
    assert.equal(tracker.observe('c1', 's', 2), 2);
  });
});
