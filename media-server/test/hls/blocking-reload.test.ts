import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advancePartLimit, decideReload, parseDeliveryDirectives, type ReloadView } from '../../src/hls/blocking-reload.js';

// Segments 5..7 complete with 10 parts each; segment 8 in progress with 3 parts; PART-TARGET 0.2 s.
const view: ReloadView = { lastMsn: 7, partCount: (msn) => (msn >= 5 && msn <= 7 ? 10 : undefined), openParts: 3, partTarget: 0.2 };

describe('hls blocking reload decisions (RFC 8216bis 6.2.5.2)', () => {
  const cases: Array<{ name: string; msn: number; part?: number; value: string }> = [
    { name: 'complete segment', msn: 7, value: 'ready' },
    { name: 'segment in progress, no part', msn: 8, value: 'wait' },
    { name: 'last + 2 may wait', msn: 9, value: 'wait' },
    { name: 'last + 3 is too far', msn: 10, value: 'too-far' },
    { name: 'published part of the open segment', msn: 8, part: 2, value: 'ready' },
    { name: 'next part of the open segment', msn: 8, part: 3, value: 'wait' },
    { name: 'part within the Advance Part Limit (15 at 0.2 s)', msn: 8, part: 17, value: 'wait' },
    { name: 'part beyond the Advance Part Limit', msn: 8, part: 18, value: 'too-far' },
    { name: 'part of a complete segment', msn: 6, part: 9, value: 'ready' },
    { name: 'part index past a complete segment rolls to part 0 of the next', msn: 7, part: 10, value: 'ready' },
    { name: 'old segment no longer in memory', msn: 1, part: 4, value: 'ready' },
    { name: 'first part of the next segment', msn: 9, part: 0, value: 'wait' },
  ];
  for (const { name, msn, part, value } of cases) {
    it(name, () => assert.equal(decideReload(view, msn, part), value));
  }

  it('rolls over to the open segment when the parent segment has no more parts', () => {
    assert.equal(decideReload({ ...view, openParts: 0 }, 7, 10), 'wait');
  });

  it('Advance Part Limit', () => {
    assert.equal(advancePartLimit(0.2), 15);
    assert.equal(advancePartLimit(1), 3);
    assert.equal(advancePartLimit(2), 3);
  });
});

describe('hls delivery directives', () => {
  const cases = [
    { query: '', value: { ok: true, directives: { msn: undefined, part: undefined, skip: false } } },
    { query: '_HLS_msn=12&_HLS_part=3', value: { ok: true, directives: { msn: 12, part: 3, skip: false } } },
    { query: '_HLS_msn=12&_HLS_skip=YES', value: { ok: true, directives: { msn: 12, part: undefined, skip: true } } },
    { query: '_HLS_skip=v2', value: { ok: true, directives: { msn: undefined, part: undefined, skip: true } } },
    { query: '_HLS_part=3', value: { ok: false, error: '_HLS_part without _HLS_msn' } },
    { query: '_HLS_msn=-1', value: { ok: false, error: '_HLS_msn "-1" is not a decimal-integer' } },
    { query: '_HLS_msn=1&_HLS_part=x', value: { ok: false, error: '_HLS_part "x" is not a decimal-integer' } },
  ];
  for (const { query, value } of cases) {
    it(query || '(none)', () => assert.deepEqual(parseDeliveryDirectives(new URLSearchParams(query)), value));
  }
});
