// Phase "rtmp-fanout": one 2.5 Mbps stream played over RTMP by N players at once (issue #17),
// OnAir and nginx-rtmp in turn, a fresh server per run. The players are light in-bench readers
// (lib/rtmp-play-reader.ts) in worker processes whose CPU is sampled apart from the server's.
// Reported: server CPU per player, how far players fall behind (timestamp vs arrival), stalls
// and errors. Each server is also run with no player: its ingest and HLS cost is the baseline
// subtracted from the CPU per player (at small N it would otherwise be most of the number).
import { startClientWorkers } from '../client-workers.js';
import type { ServerKind } from '../config.js';
import { loopbackLimitFlags } from '../onair.js';
import { sampleWindow, type TreeUsage } from '../proc-stats.js';
import { startCopyPublishers } from '../publishers.js';
import type { RtmpWorkerReport } from '../rtmp-fanout-worker.js';
import type { ServerOptions } from '../server.js';
import { serverLabel, type ServerFactory } from '../servers.js';
import { summarizeRun } from '../rtmp-fanout-stats.js';
import type { Distribution } from '../stats.js';
import { sleep, withTimeout } from '../time.js';

/** Players per worker process. */
const playersPerWorker = 250;

export interface RtmpFanoutRun {
  server: string;
  players: number;
  workers: number;
  serverUsage: TreeUsage;
  /** Server CPU (% of one core) divided by the players. */
  cpuPerPlayerPercent: number;
  /** (Server CPU - the same server's CPU with no player) / players; absent without a baseline run. */
  marginalCpuPerPlayerPercent?: number;
  playersCpuPercent: number;
  machineBusyPercent: number;
  playersReported: number;
  notStarted: number;
  failed: number;
  firstError?: string;
  stalled: number;
  /** Per player, the largest fall-behind in the window, ms. */
  lag: Distribution;
  /** Media bytes per player per second in the window (median). */
  mediaBytesPerSecond: number;
  publisherExited: boolean;
}

export interface RtmpFanoutPhaseResult {
  measuredAt: string;
  config: { counts: number[]; warmupMs: number; windowMs: number; input: string; onairFlags: readonly string[]; playersPerWorker: number };
  runs: RtmpFanoutRun[];
  errors: string[];
}

async function runOne(factory: ServerFactory, kind: ServerKind, players: number, phase: { warmupMs: number; windowMs: number }, input: string): Promise<RtmpFanoutRun> {
  const options: ServerOptions = { segmentMs: 2_000, partMs: 200, window: 7, onairLimitFlags: loopbackLimitFlags };
  const server = await factory.start(kind, options);
  const publisher = await startCopyPublishers(input, [server.rtmpUrl('fanout')], 0);
  const workers = startClientWorkers<{ url: string }, RtmpWorkerReport>(new URL('../rtmp-fanout-worker.ts', import.meta.url), players, playersPerWorker);
  try {
    // Let the stream start, then players join over at most 5 s of the warm-up.
    await sleep(2_000);
    workers.start({ url: server.rtmpUrl('fanout') });
    await sleep(phase.warmupMs);
    workers.mark();
    const usage = await sampleWindow(server.pid, workers.pids, phase.windowMs);
    const reports = await workers.collect(60_000, 'RTMP player worker report');
    return {
      ...summarizeRun(server.name, players, reports.flatMap((r) => r.stats), phase.windowMs),
      workers: workers.pids.length,
      serverUsage: usage.server,
      cpuPerPlayerPercent: players > 0 ? usage.server.cpuPercent / players : 0,
      playersCpuPercent: usage.clientsCpuPercent,
      machineBusyPercent: usage.machineBusyPercent,
      publisherExited: publisher.exitedCount() > 0,
    };
  } finally {
    await workers.stop();
    await publisher.stop();
    await server.stop();
  }
}

export async function runRtmpFanoutPhase(
  factory: ServerFactory,
  servers: readonly ServerKind[],
  phase: { counts: number[]; warmupMs: number; windowMs: number },
  input: string,
  log: (line: string) => void,
): Promise<RtmpFanoutPhaseResult> {
  const result: RtmpFanoutPhaseResult = {
    measuredAt: new Date().toISOString(),
    config: { ...phase, input, onairFlags: loopbackLimitFlags, playersPerWorker },
    runs: [],
    errors: [],
  };
  const baseline = new Map<string, number>();
  for (const players of [0, ...phase.counts]) {
    for (const kind of servers) {
      const what = `rtmp-fanout ${serverLabel[kind]} ${players} players`;
      try {
        const run = await withTimeout(runOne(factory, kind, players, phase, input), phase.warmupMs + phase.windowMs + 120_000, what);
        if (players === 0) baseline.set(run.server, run.serverUsage.cpuPercent);
        const base = baseline.get(run.server);
        if (players > 0 && base !== undefined) run.marginalCpuPerPlayerPercent = (run.serverUsage.cpuPercent - base) / players;
        result.runs.push(run);
        log(
          `${what}: server cpu ${run.serverUsage.cpuPercent.toFixed(1)} % (${run.cpuPerPlayerPercent.toFixed(3)} % per player, ${run.marginalCpuPerPlayerPercent?.toFixed(3) ?? 'n/a'} % above the no-player baseline), players cpu ${run.playersCpuPercent.toFixed(1)} %, ` +
            `lag p50 ${run.lag.p50.toFixed(0)} ms p99 ${run.lag.p99.toFixed(0)} ms, stalled ${run.stalled}/${players}, failed ${run.failed}, machine ${run.machineBusyPercent.toFixed(0)} % busy`,
        );
      } catch (error) {
        result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
        log(`${what}: FAILED ${String(error).slice(0, 300)}`);
      }
    }
  }
  return result;
}
