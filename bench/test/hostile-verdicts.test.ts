import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostilePhaseResult, HostileRun } from '../lib/phases/hostile.js';
import { hostileSection, hostileVerdicts } from '../lib/report/hostile-section.js';

const MB = 1e6;

function run(attack: HostileRun['attack'], server: string, riseMb: number, stallMs = 300): HostileRun {
  return {
    attack,
    server,
    baselineRssBytes: 60 * MB,
    peakRssBytes: (60 + riseMb) * MB,
    afterRssBytes: 61 * MB,
    worstStallMs: stallMs,
    advanceRatio: 1,
    viewerErrors: 0,
    publisherExited: false,
    serverAlive: true,
    segmentsListed: 5,
    rssSamples: 30,
    attacker: { connections: 1, closedByServer: 1, sent: 100, received: 0, statuses: {} },
  };
}

function result(runs: HostileRun[]): HostilePhaseResult {
  return {
    measuredAt: '2026-01-01T00:00:00Z',
    config: {
      warmupMs: 1, baselineMs: 1, attackMs: 1, afterMs: 5_000, sampleMs: 200,
      options: { segmentMs: 2_000, partMs: 200, window: 7 }, input: 'x', cases: ['pipelined-unread', 'idle-http'],
    },
    runs,
    errors: [],
  };
}

describe('hostile phase verdicts', () => {
  it('finds the worst OnAir rise and the cases where nginx-rtmp did better', () => {
    const v = hostileVerdicts(result([
      run('pipelined-unread', 'OnAir', 8), run('pipelined-unread', 'nginx-rtmp', 1),
      run('idle-http', 'OnAir', 20), run('idle-http', 'nginx-rtmp', 40),
    ]));
    assert.equal(v.onairWorstRise, 20 * MB);
    assert.equal(v.onairWorstRiseCase, 'idle-http');
    assert.deepEqual(v.notBetter, ['pipelined-unread']);
    assert.deepEqual(v.onairStalls, []);
    assert.equal(v.casesCompared, 2);
  });

  it('leaves the control row out of the verdicts, and counts a rise within 5 MB of nginx-rtmp\u2019s as no worse', () => {
    const v = hostileVerdicts(result([
      run('none', 'OnAir', 200), run('none', 'nginx-rtmp', 0),
      run('idle-http', 'OnAir', 4), run('idle-http', 'nginx-rtmp', 0),
    ]));
    assert.equal(v.onairWorstRise, 4 * MB);
    assert.deepEqual(v.notBetter, []);
    assert.equal(v.casesMeasured, 1);
  });

  it('widens the tolerance to OnAir\u2019s own extra drift in the control row', () => {
    const runs = [run('none', 'OnAir', 9), run('none', 'nginx-rtmp', 1), run('idle-http', 'OnAir', 8), run('idle-http', 'nginx-rtmp', 0)];
    const v = hostileVerdicts(result(runs));
    assert.equal(v.toleranceBytes, 8 * MB);
    assert.deepEqual(v.notBetter, []);
    assert.deepEqual(hostileVerdicts(result([...runs.slice(2), run('none', 'OnAir', 2), run('none', 'nginx-rtmp', 1)])).toleranceBytes, 5 * MB);
  });

  it('counts a gap over 2 segments + 0.5 s as a stall, and a stall longer than nginx-rtmp\u2019s as worse', () => {
    const v = hostileVerdicts(result([run('idle-http', 'OnAir', 1, 4_600), run('idle-http', 'nginx-rtmp', 5, 1_000)]));
    assert.deepEqual(v.onairStalls, ['idle-http']);
    assert.deepEqual(v.notBetter, ['idle-http']);
  });

  it('renders a case that was not measured as such, and no "met" verdict for an incomplete phase', () => {
    const text = hostileSection(result([run('idle-http', 'OnAir', 1), run('idle-http', 'nginx-rtmp', 5)]));
    assert.match(text, /\| \(a\)[^\n]*\| OnAir \| not measured \|/);
    assert.doesNotMatch(text, /\| met \|/);
  });
});
