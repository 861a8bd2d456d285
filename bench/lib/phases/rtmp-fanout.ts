// Phase "rtmp-fanout": one 2.5 Mbps stream played over RTMP by N players at once (issue #17),
// OnAir and nginx-rtmp in turn, a fresh server per run. The players are light in-bench readers
// (lib/rtmp-play-reader.ts) in worker processes whose CPU is sampled apart from the server's.
// Reported: server CPU per player, how far players fall behind (timestamp vs arrival), stalls
// and errors. Each server is also run with no player: its ingest and HLS cost is the baseline
// subtracted from the CPU per player (at small N it would otherwise be most of the number).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackPid, untrackPid } from '../cleanup.js';
import type { ServerKind } from '../config.js';
import { splitViewers } from '../fanout-stats.js';
import { loopbackLimitFlags } from '../onair.js';
import { machineBusyPercent, machineCpuTicks, startTreeSampler, type TreeUsage } from '../proc-stats.js';
import { startCopyPublishers } from '../publishers.js';
import type { RtmpWorkerCommand, RtmpWorkerReport } from '../rtmp-fanout-worker.js';
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

interface Worker {
  child: ChildProcess;
  report: Promise<RtmpWorkerReport | undefined>;
}

function startWorker(): Worker {
  const child = fork(fileURLToPath(new URL('../rtmp-fanout-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (child.pid === undefined) throw new Error('could not start an RTMP player worker');
  trackPid(child.pid);
  const report = new Promise<RtmpWorkerReport | undefined>((resolve) => {
    child.on('message', (message: RtmpWorkerReport) => resolve(message));
    child.once('exit', () => resolve(undefined));
  });
  return { child, report };
}

function send(worker: Worker, command: RtmpWorkerCommand): void {
  if (worker.child.connected) worker.child.send(command);
}

async function stopWorker(worker: Worker): Promise<void> {
  const pid = worker.child.pid;
  if (worker.child.exitCode === null && worker.child.signalCode === null) {
    const exited = new Promise((resolve) => worker.child.once('exit', resolve));
    worker.child.kill('SIGKILL');
    await exited;
  }
  if (pid !== undefined) untrackPid(pid);
}

async function runOne(factory: ServerFactory, kind: ServerKind, players: number, phase: { warmupMs: number; windowMs: number }, input: string): Promise<RtmpFanoutRun> {
  const options: ServerOptions = { segmentMs: 2_000, partMs: 200, window: 7, onairLimitFlags: loopbackLimitFlags };
  const server = await factory.start(kind, options);
  const publisher = await startCopyPublishers(input, [server.rtmpUrl('fanout')], 0);
  const shares = splitViewers(players, playersPerWorker);
  const workers = shares.map(() => startWorker());
  try {
    // Let the stream start, then players join over at most 5 s of the warm-up.
    await sleep(2_000);
    const staggerMs = Math.min(20, 5_000 / Math.max(1, ...shares));
    shares.forEach((count, i) => {
      const worker = workers[i];
      if (worker) send(worker, { type: 'start', url: server.rtmpUrl('fanout'), count, staggerMs });
    });
    await sleep(phase.warmupMs);
    for (const worker of workers) send(worker, { type: 'mark' });
    const serverSampler = startTreeSampler(server.pid);
    const workerSamplers = workers.map((worker) => startTreeSampler(worker.child.pid ?? -1));
    const machineBefore = machineCpuTicks();
    await sleep(phase.windowMs);
    const serverUsage = serverSampler.stop();
    const workerUsage = workerSamplers.map((sampler) => sampler.stop());
    const machineBusy = machineBusyPercent(machineBefore, machineCpuTicks());
    for (const worker of workers) send(worker, { type: 'stop' });
    const reports = (await Promise.all(workers.map((worker) => withTimeout(worker.report, 60_000, 'RTMP player worker report')))).filter((r): r is RtmpWorkerReport => r !== undefined);
    return {
      ...summarizeRun(server.name, players, reports.flatMap((r) => r.stats), phase.windowMs),
      workers: workers.length,
      serverUsage,
      cpuPerPlayerPercent: players > 0 ? serverUsage.cpuPercent / players : 0,
      playersCpuPercent: workerUsage.reduce((sum, usage) => sum + usage.cpuPercent, 0),
      machineBusyPercent: machineBusy,
      publisherExited: publisher.exitedCount() > 0,
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
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
