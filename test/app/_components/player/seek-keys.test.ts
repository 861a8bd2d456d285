import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampedSeek, SEEK_STEP_SECONDS } from '../../../../app/_components/player/seek-keys.js';

describe('player keyboard seeking', () => {
  const cases: Array<{ what: string; current: number; delta: number; start: number; end: number; expected: number }> = [
    { what: 'back within the broadcast', current: 60, delta: -SEEK_STEP_SECONDS, start: 0, end: 180, expected: 55 },
    { what: 'forward within the broadcast', current: 60, delta: SEEK_STEP_SECONDS, start: 0, end: 180, expected: 65 },
    { what: 'not before the first listed segment', current: 2, delta: -SEEK_STEP_SECONDS, start: 0, end: 180, expected: 0 },
    { what: 'not before a live window that starts later', current: 120, delta: -SEEK_STEP_SECONDS, start: 118, end: 130, expected: 118 },
    { what: 'not past the live edge', current: 178, delta: SEEK_STEP_SECONDS, start: 0, end: 180, expected: 180 },
  ];
  for (const { what, current, delta, start, end, expected } of cases) {
    it(what, () => assert.equal(clampedSeek(current, delta, start, end), expected));
  }
});
