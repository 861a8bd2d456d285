// The rtmp-fanout phase's per-run summary of what its players reported (lib/phases/rtmp-fanout.ts).
import type { RtmpFanoutRun } from './phases/rtmp-fanout.js';
import type { ReaderStats } from './rtmp-play-reader.js';
import { distribution } from './stats.js';

/** A player that got no video for this long in the window counts as stalled. */
export const stallGapMs = 2_000;

export type PlayerSummary = Omit<RtmpFanoutRun, 'workers' | 'serverUsage' | 'cpuPerPlayerPercent' | 'marginalCpuPerPlayerPercent' | 'playersCpuPercent' | 'machineBusyPercent' | 'publisherExited'>;

export function summarizeRun(server: string, players: number, stats: readonly ReaderStats[], windowMs: number): PlayerSummary {
  const started = stats.filter((s) => s.started);
  const perSecond = started.map((s) => s.windowBytes / (windowMs / 1000)).sort((a, b) => a - b);
  const run: PlayerSummary = {
    server,
    players,
    playersReported: stats.length,
    notStarted: players - started.length,
    failed: stats.filter((s) => s.failed).length,
    stalled: started.filter((s) => s.failed || s.windowMessages === 0 || s.maxGapMs > stallGapMs).length + (players - started.length),
    lag: distribution(started.map((s) => s.maxLagMs)),
    mediaBytesPerSecond: perSecond[Math.floor(perSecond.length / 2)] ?? 0,
  };
  const firstError = stats.find((s) => s.firstError !== undefined)?.firstError;
  if (firstError !== undefined) run.firstError = firstError;
  return run;
}
