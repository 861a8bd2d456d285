// Phase "fanout": one 2.5 Mbps stream watched by N viewers at once. OnAir: LL-HLS viewers
// (blocking reloads, every part); nginx-rtmp: classic viewers (playlist every half target
// duration, every segment), in a separate run with a fresh server. The viewers live in worker
// processes (lib/fanout-worker.ts) whose CPU is sampled apart from the server's; a listing probe
// in this process records when each part was first listed, and every viewer reports when it had
// each part in full, giving the listed -> delivered delay per (viewer, part).
import { startClientWorkers } from '../client-workers.js';
import type { ServerKind } from '../config.js';
import { deliveryDelays, mergeDeliveries, type DeliveryDelays } from '../fanout-stats.js';
import type { ViewerWorkerOptions, WorkerReport } from '../fanout-worker.js';
import type { ViewerStats } from '../hls-viewer.js';
import { startListingProbe } from '../listing-probe.js';
import { sampleWindow, type TreeUsage } from '../proc-stats.js';
import { startCopyPublishers } from '../publishers.js';
import type { ServerOptions, ServerUnderTest } from '../server.js';
import { loopbackLimitFlags } from '../onair.js';
import { serverLabel, type ServerFactory } from '../servers.js';
import { epochNow, sleep, withTimeout } from '../time.js';
import { isStalled } from './load.js';


/** Viewers per worker process (each viewer holds one keep-alive connection of its own, lib/http-get.ts). */
const viewersPerWorker = 250;

export interface FanoutRun {
  server: string;
  viewers: number;
  workers: number;
  serverUsage: TreeUsage;
  /** The viewer worker processes together (CPU summed, RSS summed medians). */
  viewerCpuPercent: number;
  machineBusyPercent: number;
  stalledViewers: number;
  worstGapMs: number;
  worstAdvanceRatio: number;
  viewerErrors: number;
  firstViewerError?: string;
  viewersReported: number;
  mediaRequests: number;
  mediaBytes: number;
  /** OnAir: listed -> delivered per (viewer, part). */
  delivery?: DeliveryDelays;
  /** Parts the probe listed with an exact time in the window. */
  partsListed: number;
  publisherExited: boolean;
}

export interface FanoutRunConfig {
  viewers: number;
  warmupMs: number;
  windowMs: number;
  input: string;
  options: ServerOptions;
}

export async function runFanout(server: ServerUnderTest, config: FanoutRunConfig): Promise<FanoutRun> {
  const key = 'fanout';
  const publisher = await startCopyPublishers(config.input, [server.rtmpUrl(key)], 0);
  const probe = startListingProbe(server.playlistUrl(key), 10, config.warmupMs + config.windowMs + 30_000);
  const workers = startClientWorkers<ViewerWorkerOptions, WorkerReport>(new URL('../fanout-worker.ts', import.meta.url), config.viewers, viewersPerWorker);
  try {
    workers.start({ url: server.playlistUrl(key), startTimeoutMs: config.warmupMs + 15_000 });
    await sleep(config.warmupMs);
    workers.mark();
    const windowStart = epochNow();
    const usage = await sampleWindow(server.pid, workers.pids, config.windowMs);
    const reports = await workers.collect(60_000, 'viewer worker report');
    const windowEnd = epochNow();
    const stats: ViewerStats[] = reports.flatMap((report) => report.stats);

    const listed = new Map<string, number>();
    for (const item of probe.items()) {
      // Probe keys are p<msn>.<part>; viewers key parts <msn>.<part>.
      if (item.kind === 'part' && item.exact && item.listedAt >= windowStart && item.listedAt <= windowEnd) listed.set(item.key.slice(1), item.listedAt);
    }
    const run: FanoutRun = {
      server: server.name,
      viewers: config.viewers,
      workers: workers.pids.length,
      serverUsage: usage.server,
      viewerCpuPercent: usage.clientsCpuPercent,
      machineBusyPercent: usage.machineBusyPercent,
      stalledViewers: stats.filter((s) => isStalled(s, config.options.segmentMs)).length + (config.viewers - stats.length),
      worstGapMs: stats.length > 0 ? Math.max(...stats.map((s) => s.maxGapMs)) : Number.NaN,
      worstAdvanceRatio: stats.length > 0 ? Math.min(...stats.map((s) => s.advanceRatio)) : Number.NaN,
      viewerErrors: stats.reduce((sum, s) => sum + s.errors, 0),
      viewersReported: stats.length,
      mediaRequests: stats.reduce((sum, s) => sum + s.mediaRequests, 0),
      mediaBytes: stats.reduce((sum, s) => sum + s.mediaBytes, 0),
      partsListed: listed.size,
      publisherExited: publisher.exitedCount() > 0,
    };
    if (probe.usedBlockingReload()) {
      // Only parts listed inside the window, delivered to viewers whose window had started.
      const deliveries = [...mergeDeliveries(reports.map((report) => report.deliveries))].filter(([partKey]) => partKey.includes('.'));
      run.delivery = deliveryDelays(listed, deliveries.filter(([partKey]) => listed.has(partKey)));
    }
    const firstError = stats.find((s) => s.firstError !== undefined)?.firstError;
    if (firstError !== undefined) run.firstViewerError = firstError;
    return run;
  } finally {
    await workers.stop();
    await probe.stop();
    await publisher.stop();
  }
}

export interface FanoutPhaseResult {
  measuredAt: string;
  config: { counts: number[]; warmupMs: number; windowMs: number; options: ServerOptions; input: string; onairFlags: readonly string[]; viewersPerWorker: number };
  runs: FanoutRun[];
  errors: string[];
}

export async function runFanoutPhase(
  factory: ServerFactory,
  servers: readonly ServerKind[],
  phase: { counts: number[]; warmupMs: number; windowMs: number },
  input: string,
  log: (line: string) => void,
): Promise<FanoutPhaseResult> {
  const options: ServerOptions = { segmentMs: 2_000, partMs: 200, window: 7, onairLimitFlags: loopbackLimitFlags };
  const result: FanoutPhaseResult = {
    measuredAt: new Date().toISOString(),
    config: { ...phase, options, input, onairFlags: loopbackLimitFlags, viewersPerWorker },
    runs: [],
    errors: [],
  };
  for (const viewers of phase.counts) {
    for (const kind of servers) {
      const what = `fanout ${serverLabel[kind]} ${viewers} viewers`;
      try {
        const server = await factory.start(kind, options);
        try {
          const run = await withTimeout(runFanout(server, { viewers, warmupMs: phase.warmupMs, windowMs: phase.windowMs, input, options }), phase.warmupMs + phase.windowMs + 180_000, what);
          result.runs.push(run);
          const delay = run.delivery ? `, listed->delivered p50 ${run.delivery.delays.p50.toFixed(0)} ms p99 ${run.delivery.delays.p99.toFixed(0)} ms` : '';
          log(
            `${what}: server cpu ${run.serverUsage.cpuPercent.toFixed(1)} %, viewers cpu ${run.viewerCpuPercent.toFixed(1)} %, rss ${(run.serverUsage.rssBytes / 2 ** 20).toFixed(1)} MiB, ` +
              `stalled ${run.stalledViewers}/${viewers}, errors ${run.viewerErrors}${delay}, machine ${run.machineBusyPercent.toFixed(0)} % busy`,
          );
        } finally {
          await server.stop();
        }
      } catch (error) {
        result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
        log(`${what}: FAILED ${String(error).slice(0, 300)}`);
      }
    }
  }
  return result;
}
