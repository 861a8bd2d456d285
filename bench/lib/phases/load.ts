// Phase "load": CPU and RSS of the server's process tree with N publishers and one HLS viewer per
// stream, and whether every stream kept advancing. Each (server, N, repeat) gets a fresh server.
import { HlsViewer, type ViewerStats } from '../hls-viewer.js';
import { machineBusyPercent, machineCpuTicks, startTreeSampler, type TreeUsage } from '../proc-stats.js';
import { startCopyPublishers } from '../publishers.js';
import type { ServerOptions, ServerUnderTest } from '../server.js';
import type { ServerKind } from '../config.js';
import { serverLabel, type ServerFactory } from '../servers.js';
import { sleep, withTimeout } from '../time.js';

export interface LoadRunConfig {
  publishers: number;
  warmupMs: number;
  windowMs: number;
  input: string;
  options: ServerOptions;
  /** Called right as the measurement window opens and closes (the recording phase's disk snapshots). */
  window?: { opened(): void; closed(): void };
}

export interface LoadRun {
  server: string;
  publishers: number;
  repeat: number;
  usage: TreeUsage;
  /** All cores busy during the window (server + publishers + viewers + anything else), percent of all cores. */
  machineBusyPercent: number;
  /** Streams whose playlist stopped advancing (gap or rate criterion below). */
  stalledStreams: number;
  worstGapMs: number;
  worstAdvanceRatio: number;
  viewerErrors: number;
  firstViewerError?: string;
  publishersExited: number;
}

/** A stream stalled if no media was added for 2 segment durations + 0.5 s, or it added < 80 % of real time. */
export function isStalled(stats: ViewerStats, segmentMs: number): boolean {
  return stats.maxGapMs > 2 * segmentMs + 500 || stats.advanceRatio < 0.8;
}

export async function runLoad(server: ServerUnderTest, config: LoadRunConfig, repeat: number): Promise<LoadRun> {
  const keys = Array.from({ length: config.publishers }, (_, i) => `bench${i}`);
  const publishers = await startCopyPublishers(config.input, keys.map((key) => server.rtmpUrl(key)));
  const viewers = keys.map((key) => new HlsViewer(server.playlistUrl(key), { startTimeoutMs: config.warmupMs + 10_000 }));
  try {
    for (const viewer of viewers) viewer.start();
    await sleep(config.warmupMs);
    for (const viewer of viewers) viewer.markWindowStart();
    config.window?.opened();
    const sampler = startTreeSampler(server.pid);
    const machineBefore = machineCpuTicks();
    await sleep(config.windowMs);
    const usage = sampler.stop();
    config.window?.closed();
    const machineBusy = machineBusyPercent(machineBefore, machineCpuTicks());
    const stats = await Promise.all(viewers.map((viewer) => viewer.stop()));
    const run: LoadRun = {
      server: server.name,
      publishers: config.publishers,
      repeat,
      usage,
      machineBusyPercent: machineBusy,
      stalledStreams: stats.filter((s) => isStalled(s, config.options.segmentMs)).length,
      worstGapMs: Math.max(...stats.map((s) => s.maxGapMs)),
      worstAdvanceRatio: Math.min(...stats.map((s) => s.advanceRatio)),
      viewerErrors: stats.reduce((sum, s) => sum + s.errors, 0),
      publishersExited: publishers.exitedCount(),
    };
    const firstError = stats.find((s) => s.firstError !== undefined)?.firstError;
    if (firstError !== undefined) run.firstViewerError = firstError;
    return run;
  } finally {
    await Promise.all(viewers.map((viewer) => viewer.stop()));
    await publishers.stop();
  }
}

export interface LoadPhaseResult {
  measuredAt: string;
  config: { counts: number[]; repeats: number; warmupMs: number; windowMs: number; options: ServerOptions; input: string };
  runs: LoadRun[];
  errors: string[];
}

/** Repeat-major order (r0: N=1 nginx, N=1 OnAir, N=10 ... ; r1: ...) so machine noise spreads over both servers. */
export async function runLoadPhase(
  factory: ServerFactory,
  servers: readonly ServerKind[],
  phase: { counts: number[]; repeats: number; warmupMs: number; windowMs: number },
  input: string,
  log: (line: string) => void,
): Promise<LoadPhaseResult> {
  // OnAir's default window (7 segments, media-server/src/config.ts); nginx-rtmp gets the same
  // playlist length (hls_playlist_length = 7 x 2 s), so both list the same span of media.
  const options: ServerOptions = { segmentMs: 2_000, partMs: 200, window: 7 };
  const result: LoadPhaseResult = { measuredAt: new Date().toISOString(), config: { ...phase, options, input }, runs: [], errors: [] };
  for (let repeat = 0; repeat < phase.repeats; repeat++) {
    for (const publishers of phase.counts) {
      for (const kind of servers) {
        const what = `load ${serverLabel[kind]} N=${publishers} repeat ${repeat + 1}/${phase.repeats}`;
        try {
          const server = await factory.start(kind, options);
          try {
            const run = await withTimeout(runLoad(server, { publishers, warmupMs: phase.warmupMs, windowMs: phase.windowMs, input, options }, repeat), phase.warmupMs + phase.windowMs + 120_000, what);
            result.runs.push(run);
            log(`${what}: cpu ${run.usage.cpuPercent.toFixed(1)} %, rss ${(run.usage.rssBytes / 2 ** 20).toFixed(1)} MiB, stalled ${run.stalledStreams}/${publishers}, machine ${run.machineBusyPercent.toFixed(0)} % busy`);
          } finally {
            await server.stop();
          }
        } catch (error) {
          result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
          log(`${what}: FAILED ${String(error).slice(0, 300)}`);
        }
      }
    }
  }
  return result;
}
