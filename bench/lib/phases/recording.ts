// Phase "recording" (issue #15): OnAir with recording off vs on, side by side. Each cell is the
// load phase's run (N copy publishers, one LL-HLS viewer each, the server tree sampled) against a
// fresh server started with --record-dir and an on_publish hook in the bench process; "on" and
// "off" differ only in the hook's answer (with or without `X-OnAir-Record: 1`). With recording
// on, the bytes that appeared under the record dir during the window give the disk write rate.
// Then glass-to-glass, off / on / off..., through the glass phase's OnAir setup.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../../../test/helpers/browser.js';
import { dirUsage } from '../dir-bytes.js';
import { startRecordHook } from '../record-hook.js';
import type { ServerOptions, ServerUnderTest } from '../server.js';
import type { ServerFactory } from '../servers.js';
import { withTimeout } from '../time.js';
import { glassSetups, runGlass, type GlassRun } from './glass.js';
import { runLoad, type LoadRun } from './load.js';

export interface RecordingRun extends LoadRun {
  recording: boolean;
  /** Publishers' ingest: the input file's bytes per second of its duration, x N. */
  ingestBytesPerSecond: number;
  /** Bytes that appeared under the record dir during the window, per second of window. */
  diskBytesPerSecond: number;
  /** Broadcast folders with files at the window's end (N expected with recording on, 0 off). */
  recordedStreams: number;
  /** Publishes the hook answered (N expected). */
  hookAnswers: number;
}

export interface RecordingGlassRun extends GlassRun {
  recording: boolean;
}

export interface RecordingPhaseConfig {
  counts: number[];
  repeats: number;
  warmupMs: number;
  windowMs: number;
  /** Glass runs with recording off; the one run with recording on comes after the first. 0: no glass. */
  glassOffRuns: number;
  glassWarmupMs: number;
  glassWindowMs: number;
}

export interface RecordingPhaseResult {
  measuredAt: string;
  config: RecordingPhaseConfig & { options: ServerOptions; input: string; inputBytesPerSecond: number; glassSetup: string };
  runs: RecordingRun[];
  glass: RecordingGlassRun[];
  errors: string[];
}

/** A fresh OnAir with --record-dir and the hook; the hook's answer decides whether it records. */
async function withRecordingServer<T>(factory: ServerFactory, options: ServerOptions, recording: boolean, run: (server: ServerUnderTest, recordDir: string, hookAnswers: () => number) => Promise<T>): Promise<T> {
  const recordDir = mkdtempSync(join(tmpdir(), 'onair-bench-rec-'));
  const hook = await startRecordHook(recording);
  try {
    const server = await factory.start('onair', { ...options, onairExtraFlags: ['--on-publish', hook.url, '--record-dir', recordDir] });
    try {
      return await run(server, recordDir, () => hook.answered());
    } finally {
      await server.stop();
    }
  } finally {
    await hook.close();
    rmSync(recordDir, { recursive: true, force: true });
  }
}

const label = (recording: boolean) => (recording ? 'recording on' : 'recording off');

/** Repeat-major, off then on at each N, so machine noise spreads over both. */
export async function runRecordingPhase(factory: ServerFactory, phase: RecordingPhaseConfig, input: string, inputSeconds: number, repoRoot: string, log: (line: string) => void): Promise<RecordingPhaseResult> {
  const options: ServerOptions = { segmentMs: 2_000, partMs: 200, window: 7 };
  const inputBytesPerSecond = statSync(input).size / inputSeconds;
  const glassSetup = glassSetups.find((s) => s.kind === 'onair');
  if (glassSetup === undefined) throw new Error('no OnAir glass setup');
  const result: RecordingPhaseResult = {
    measuredAt: new Date().toISOString(),
    config: { ...phase, options, input, inputBytesPerSecond, glassSetup: glassSetup.label },
    runs: [],
    glass: [],
    errors: [],
  };
  const failed = (what: string, error: unknown) => {
    result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
    log(`${what}: FAILED ${String(error).slice(0, 300)}`);
  };
  for (let repeat = 0; repeat < phase.repeats; repeat++) {
    for (const publishers of phase.counts) {
      for (const recording of [false, true]) {
        const what = `recording: OnAir ${label(recording)} N=${publishers} repeat ${repeat + 1}/${phase.repeats}`;
        try {
          const run = await withRecordingServer(factory, options, recording, async (server, recordDir, hookAnswers) => {
            let opened = { bytes: 0, at: 0 };
            let closed = { bytes: 0, at: 0, broadcasts: 0 };
            const window = {
              opened: () => (opened = { bytes: dirUsage(recordDir).bytes, at: performance.now() }),
              closed: () => {
                const usage = dirUsage(recordDir);
                closed = { bytes: usage.bytes, at: performance.now(), broadcasts: usage.broadcasts };
              },
            };
            const load = await withTimeout(
              runLoad(server, { publishers, warmupMs: phase.warmupMs, windowMs: phase.windowMs, input, options, window }, repeat),
              phase.warmupMs + phase.windowMs + 120_000,
              what,
            );
            return {
              ...load,
              recording,
              ingestBytesPerSecond: inputBytesPerSecond * publishers,
              diskBytesPerSecond: ((closed.bytes - opened.bytes) / (closed.at - opened.at)) * 1000,
              recordedStreams: closed.broadcasts,
              hookAnswers: hookAnswers(),
            };
          });
          result.runs.push(run);
          log(
            `${what}: cpu ${run.usage.cpuPercent.toFixed(1)} %, rss ${(run.usage.rssBytes / 2 ** 20).toFixed(1)} MiB, stalled ${run.stalledStreams}/${publishers}, ` +
              `disk ${((run.diskBytesPerSecond * 8) / 1e6).toFixed(2)} Mbit/s (ingest ${((run.ingestBytesPerSecond * 8) / 1e6).toFixed(2)}), recorded ${run.recordedStreams}/${publishers}`,
          );
        } catch (error) {
          failed(what, error);
        }
      }
    }
  }
  if (phase.glassOffRuns > 0) await runRecordingGlass(factory, phase, glassSetup, repoRoot, result, log, failed);
  return result;
}

async function runRecordingGlass(
  factory: ServerFactory,
  phase: RecordingPhaseConfig,
  setup: (typeof glassSetups)[number],
  repoRoot: string,
  result: RecordingPhaseResult,
  log: (line: string) => void,
  failed: (what: string, error: unknown) => void,
): Promise<void> {
  // off, on, off, ...: the one "on" run sits between "off" runs, so a drift of the machine shows as spread.
  const order = Array.from({ length: phase.glassOffRuns }, () => false);
  order.splice(1, 0, true);
  const browser = await launchBrowser();
  try {
    for (const [repeat, recording] of order.entries()) {
      const what = `recording: glass ${setup.label}, ${label(recording)} (run ${repeat + 1}/${order.length})`;
      try {
        const run = await withRecordingServer(factory, setup.options, recording, (server) =>
          withTimeout(
            runGlass(repoRoot, browser, server, { label: `${setup.label}, ${label(recording)}`, gopFrames: setup.gopFrames, warmupMs: phase.glassWarmupMs, windowMs: phase.glassWindowMs }, repeat),
            phase.glassWarmupMs + phase.glassWindowMs + 60_000,
            what,
          ),
        );
        result.glass.push({ ...run, recording });
        log(`${what}: median ${run.medianMs.toFixed(0)} ms over ${run.samples} frames, waiting ${run.waiting}`);
      } catch (error) {
        failed(what, error);
      }
    }
  } finally {
    await browser.close();
  }
}
