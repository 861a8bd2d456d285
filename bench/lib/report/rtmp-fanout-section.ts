// RESULTS.md: one stream, N RTMP players, OnAir beside nginx-rtmp (issue #17).
import type { RtmpFanoutPhaseResult } from '../phases/rtmp-fanout.js';
import { stallGapMs } from '../rtmp-fanout-stats.js';
import { mib, ms, pct, table, verdict } from './markdown.js';

/** The CPU per player a verdict compares: above the no-player baseline when there is one. */
function perPlayer(run: RtmpFanoutPhaseResult['runs'][number]): number {
  return run.marginalCpuPerPlayerPercent ?? run.cpuPerPlayerPercent;
}

export interface RtmpFanoutVerdicts {
  /** OnAir's CPU per player over nginx-rtmp's, at each player count both measured (above each one's no-player baseline). */
  ratios: Array<{ players: number; ratio: number }>;
  worstRatio?: number;
  worstAt?: number;
}

export function rtmpFanoutVerdicts(result: RtmpFanoutPhaseResult): RtmpFanoutVerdicts {
  const ratios: RtmpFanoutVerdicts['ratios'] = [];
  for (const players of [...result.config.counts].sort((a, b) => a - b)) {
    const onair = result.runs.find((r) => r.server === 'OnAir' && r.players === players);
    const nginx = result.runs.find((r) => r.server === 'nginx-rtmp' && r.players === players);
    if (onair && nginx && perPlayer(nginx) > 0) ratios.push({ players, ratio: perPlayer(onair) / perPlayer(nginx) });
  }
  const worst = ratios.reduce<(typeof ratios)[number] | undefined>((w, r) => (w === undefined || r.ratio > w.ratio ? r : w), undefined);
  return { ratios, ...(worst ? { worstRatio: worst.ratio, worstAt: worst.players } : {}) };
}

export function rtmpFanoutSection(result: RtmpFanoutPhaseResult): string {
  const c = result.config;
  const rows: string[][] = [];
  for (const n of [0, ...[...c.counts].sort((a, b) => a - b)]) {
    for (const server of ['nginx-rtmp', 'OnAir']) {
      const run = result.runs.find((r) => r.server === server && r.players === n);
      if (!run) {
        rows.push([String(n), server, 'not measured', '', '', '', '', '', '', '', '']);
        continue;
      }
      if (n === 0) {
        rows.push(['0 (baseline)', server, pct(run.serverUsage.cpuPercent), '', '', mib(run.serverUsage.rssBytes), '', pct(run.machineBusyPercent, 0), '', '', run.publisherExited ? 'publisher dropped' : '']);
        continue;
      }
      rows.push([
        String(n),
        server,
        pct(run.serverUsage.cpuPercent),
        pct(run.cpuPerPlayerPercent, 3),
        pct(run.marginalCpuPerPlayerPercent, 3),
        mib(run.serverUsage.rssBytes),
        `${pct(run.playersCpuPercent)} (${run.workers})`,
        pct(run.machineBusyPercent, 0),
        `${ms(run.lag.p50)} / ${ms(run.lag.p99)} / ${ms(run.lag.max)}`,
        `${run.stalled}/${n}`,
        `${run.failed + run.notStarted}${run.firstError !== undefined ? ` (${run.firstError.slice(0, 80)})` : ''}${run.publisherExited ? '; publisher dropped' : ''}`,
      ]);
    }
  }
  const v = rtmpFanoutVerdicts(result);
  const lines = [
    `Measured ${result.measuredAt}. One publisher (the cached 2.5 Mbps input, \`-re -c copy\`) and N RTMP players of its stream, a fresh server per row; ` +
      `players join over the first seconds of a ${c.warmupMs / 1000} s warm-up, then a ${c.windowMs / 1000} s window. ` +
      `Players are light in-bench readers (lib/rtmp-play-reader.ts: handshake, connect, createStream, play, acknowledgements; media counted, not decoded), ` +
      `${c.playersPerWorker} per worker process; "players' CPU" is those processes, measured apart from the server's tree. ` +
      'nginx-rtmp: `live on` with `hls on` in the same application (its usual setup); OnAir: its HLS output runs too.',
    '',
    'Each server is first run with the publisher and no player (baseline: ingest and HLS). "CPU per player above baseline" = (server CPU - baseline) / N; ' +
      'the verdict compares it (a small N would otherwise mostly divide the ingest cost). Noisy at small N: a few % of one core over a 15 s window.',
    '',
    '"fall behind": for each player, (arrival time - RTMP timestamp) minus its smallest value over the play; the largest in the window, p50 / p99 / max over players. ' +
      `A player with no video for ${stallGapMs / 1000} s in the window is stalled.`,
    '',
    table(['players', 'server', 'server CPU (% of one core)', 'CPU / players', 'CPU per player above baseline', 'server RSS (median)', "players' CPU (workers)", 'machine busy', 'fall behind p50 / p99 / max', 'stalled', 'errors'], rows),
    '',
    table(
      ['target (issue #17)', 'measured', 'verdict'],
      [
        [
          "RTMP fan-out within 1.5x nginx-rtmp's CPU per player",
          v.worstRatio === undefined ? 'not measured' : v.ratios.map((r) => `${r.ratio.toFixed(2)}x at ${r.players}`).join(', '),
          verdict(v.worstRatio === undefined ? undefined : v.worstRatio <= 1.5),
        ],
      ],
    ),
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
