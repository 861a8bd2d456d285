// The recording phase's pure parts: the verdicts, the on_publish hook as the media server's own
// callback client reads it, and the record dir's byte count.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { postNotifyForm } from '../../media-server/src/hooks/notify-form.js';
import { dirUsage } from '../lib/dir-bytes.js';
import type { RecordingGlassRun, RecordingPhaseResult, RecordingRun } from '../lib/phases/recording.js';
import { startRecordHook } from '../lib/record-hook.js';
import { recordingVerdicts } from '../lib/report/recording-section.js';

function run(publishers: number, recording: boolean, cpuPercent: number, rssBytes: number, diskBytesPerSecond: number, recordedStreams = recording ? publishers : 0): RecordingRun {
  return {
    server: 'OnAir', publishers, repeat: 0, recording,
    usage: { cpuPercent, rssBytes, peakRssBytes: rssBytes, processes: 1 },
    machineBusyPercent: 50, stalledStreams: 0, worstGapMs: 300, worstAdvanceRatio: 1, viewerErrors: 0, publishersExited: 0,
    ingestBytesPerSecond: 330_000 * publishers, diskBytesPerSecond, recordedStreams, hookAnswers: publishers,
  };
}

function glass(recording: boolean, medianMs: number): RecordingGlassRun {
  return { label: 'x', server: 'OnAir', repeat: 0, samples: 300, medianMs, p10Ms: medianMs - 50, p90Ms: medianMs + 50, undecodable: 0, waiting: 0, playerErrors: [], recording };
}

function result(runs: RecordingRun[], glassRuns: RecordingGlassRun[] = []): RecordingPhaseResult {
  return {
    measuredAt: 'now',
    config: {
      counts: [10, 50], repeats: 1, warmupMs: 16_000, windowMs: 12_000, glassOffRuns: 2, glassWarmupMs: 12_000, glassWindowMs: 15_000,
      options: { segmentMs: 2_000, partMs: 200, window: 7 }, input: 'in.flv', inputBytesPerSecond: 330_000, glassSetup: 'OnAir',
    },
    runs, glass: glassRuns, errors: [],
  };
}

describe('recording phase', () => {
  it('meets the targets when recording costs < 10 % CPU, no RSS per stream and writes the ingest rate; glass outside the off spread fails', () => {
    const v = recordingVerdicts(
      result(
        [run(10, false, 20, 100e6, 0), run(10, true, 21.5, 103e6, 3_350_000), run(50, false, 90, 300e6, 0), run(50, true, 98, 310e6, 16_200_000)],
        [glass(false, 800), glass(true, 830), glass(false, 760)],
      ),
    );
    assert.deepEqual(v.compares.map((c) => c.publishers), [10, 50]);
    assert.ok(Math.abs((v.compares[0]?.cpuIncrease ?? 0) - 0.075) < 1e-9);
    assert.equal(v.compares[1]?.rssPerStreamDelta, 0.2e6);
    assert.equal(v.cpuOk, true);
    assert.equal(v.rssOk, true);
    assert.equal(v.diskOk, true);
    // |830 - 780| = 50 <= spread 40? no: 50 > 40.
    assert.equal(v.glassOn, 830);
    assert.equal(v.glassOk, false);
  });
  it('fails each target on its own', () => {
    const v = recordingVerdicts(result([run(10, false, 20, 100e6, 0), run(10, true, 22.5, 110e6, 3_000_000)], [glass(false, 800), glass(true, 790), glass(false, 760)]));
    assert.equal(v.cpuOk, false); // +12.5 %
    assert.equal(v.rssOk, false); // +1 MB per stream
    assert.equal(v.diskOk, false); // 0.91x
    assert.equal(v.glassOk, true); // 790 - 780 <= 40
  });
  it('a recording run faster than the off runs is no added latency', () => {
    const v = recordingVerdicts(result([run(10, false, 20, 100e6, 0), run(10, true, 20, 100e6, 3_300_000)], [glass(false, 1774), glass(true, 1621), glass(false, 1738)]));
    assert.equal(v.glassOk, true);
  });
  it('does not pass the disk target when a stream was not recorded, nor judge glass without two off runs', () => {
    const v = recordingVerdicts(result([run(10, false, 20, 100e6, 0), run(10, true, 20, 100e6, 3_300_000, 9)], [glass(false, 800), glass(true, 800)]));
    assert.equal(v.diskOk, false);
    assert.equal(v.glassOk, undefined);
    assert.equal(recordingVerdicts(result([])).cpuOk, undefined);
  });
  it('the hook allows every publish, with X-OnAir-Record: 1 only when recording', async () => {
    for (const record of [true, false]) {
      const hook = await startRecordHook(record);
      try {
        const answer = await postNotifyForm(hook.url, 'app=live&name=bench0&call=publish', { timeoutMs: 2_000 });
        assert.equal(answer.status, 200);
        assert.equal(answer.record, record);
        assert.equal(hook.answered(), 1);
      } finally {
        await hook.close();
      }
    }
  });
  it('counts the bytes under the record dir and the broadcast folders holding files', () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-rec-test-'));
    try {
      mkdirSync(join(root, 'live', 'a', 'b1'), { recursive: true });
      mkdirSync(join(root, 'live', 'b', 'b2'), { recursive: true });
      mkdirSync(join(root, 'live', 'c', 'empty'), { recursive: true });
      writeFileSync(join(root, 'live', 'a', 'b1', 'init.mp4'), Buffer.alloc(100));
      writeFileSync(join(root, 'live', 'a', 'b1', '0.m4s'), Buffer.alloc(1000));
      writeFileSync(join(root, 'live', 'b', 'b2', '0.m4s'), Buffer.alloc(10));
      assert.deepEqual(dirUsage(root), { bytes: 1110, files: 3, broadcasts: 2 });
      assert.deepEqual(dirUsage(join(root, 'missing')), { bytes: 0, files: 0, broadcasts: 0 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
