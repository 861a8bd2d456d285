// RESULTS.md: CPU, RSS and stalls at 1/10/25/50 publishers.
import type { LoadPhaseResult, LoadRun } from '../phases/load.js';
import { median } from '../stats.js';
import { mib, ms, pct, table, verdict } from './markdown.js';

interface Cell {
  cpu: number;
  rss: number;
  stalled: number;
  streams: number;
  worstGap: number;
  machine: number;
  runs: number;
  errors: number;
  publishersExited: number;
}

function cell(runs: readonly LoadRun[]): Cell | undefined {
  if (runs.length === 0) return undefined;
  return {
    cpu: median(runs.map((r) => r.usage.cpuPercent)),
    rss: median(runs.map((r) => r.usage.rssBytes)),
    stalled: runs.reduce((sum, r) => sum + r.stalledStreams, 0),
    streams: runs.reduce((sum, r) => sum + r.publishers, 0),
    worstGap: Math.max(...runs.map((r) => r.worstGapMs)),
    machine: median(runs.map((r) => r.machineBusyPercent)),
    runs: runs.length,
    errors: runs.reduce((sum, r) => sum + r.viewerErrors, 0),
    publishersExited: runs.reduce((sum, r) => sum + r.publishersExited, 0),
  };
}

export interface LoadVerdicts {
  cpuRatio?: number;
  onairRssPerStream?: number;
  nginxRssPerStream?: number;
  stallsAtMax?: number;
  maxCount?: number;
  /** (CPU at largest N - CPU at smallest N) / (difference in N), % of one core per added stream. */
  onairMarginalCpu?: number;
  nginxMarginalCpu?: number;
}

export function loadVerdicts(result: LoadPhaseResult): LoadVerdicts {
  const counts = [...result.config.counts].sort((a, b) => a - b);
  const lo = counts[0];
  const hi = counts[counts.length - 1];
  const at = (server: string, n: number | undefined) => cell(result.runs.filter((r) => r.server === server && r.publishers === n));
  const v: LoadVerdicts = {};
  if (hi === undefined || lo === undefined) return v;
  v.maxCount = hi;
  const onairHi = at('OnAir', hi);
  const nginxHi = at('nginx-rtmp', hi);
  const onairLo = at('OnAir', lo);
  const nginxLo = at('nginx-rtmp', lo);
  if (onairHi && nginxHi) v.cpuRatio = onairHi.cpu / hi / (nginxHi.cpu / hi);
  if (onairHi && onairLo && hi > lo) v.onairRssPerStream = (onairHi.rss - onairLo.rss) / (hi - lo);
  if (nginxHi && nginxLo && hi > lo) v.nginxRssPerStream = (nginxHi.rss - nginxLo.rss) / (hi - lo);
  if (onairHi) v.stallsAtMax = onairHi.stalled;
  if (onairHi && onairLo && hi > lo) v.onairMarginalCpu = (onairHi.cpu - onairLo.cpu) / (hi - lo);
  if (nginxHi && nginxLo && hi > lo) v.nginxMarginalCpu = (nginxHi.cpu - nginxLo.cpu) / (hi - lo);
  return v;
}

export function loadSection(result: LoadPhaseResult): string {
  const counts = [...result.config.counts].sort((a, b) => a - b);
  const servers = ['nginx-rtmp', 'OnAir'];
  const rows: string[][] = [];
  for (const n of counts) {
    for (const server of servers) {
      const c = cell(result.runs.filter((r) => r.server === server && r.publishers === n));
      if (!c) {
        rows.push([String(n), server, 'not measured', '', '', '', '', '', '']);
        continue;
      }
      rows.push([
        String(n), server, pct(c.cpu), pct(c.cpu / n, 2), mib(c.rss), `${c.stalled}/${c.streams}`, ms(c.worstGap),
        `${c.errors}${c.publishersExited > 0 ? `, ${c.publishersExited} publishers exited` : ''}`, `${pct(c.machine, 0)} (${c.runs} runs)`,
      ]);
    }
  }
  const v = loadVerdicts(result);
  const lines = [
    `Measured ${result.measuredAt}. ${result.config.repeats} repeat(s) per cell, each with a fresh server: ` +
      `${result.config.warmupMs / 1000} s warm-up after the publishers start, then a ${result.config.windowMs / 1000} s window. ` +
      `Server settings: segments ${result.config.options.segmentMs} ms, parts ${result.config.options.partMs} ms (OnAir), window ${result.config.options.window}. ` +
      'CPU and RSS are of the server process tree only (publishers and viewers are separate processes / this process). RSS is the median of 500 ms samples ' +
      'in the window' +
      (result.config.warmupMs >= result.config.options.window * result.config.options.segmentMs
        ? '; the warm-up is longer than the HLS window (window x segment duration), so in-memory segment stores are full when it is sampled.'
        : '; NOTE: the warm-up is shorter than the HLS window, so in-memory segment stores were still filling.'),
    '',
    table(
      ['publishers', 'server', 'CPU (median, % of one core)', 'CPU per stream', 'RSS (median)', 'stalled streams', 'worst gap', 'viewer errors', 'machine busy (all cores)'],
      rows,
    ),
    '',
    'Derived (from the medians above):',
    '',
    table(
      ['target', 'measured', 'verdict'],
      [
        [
          'OnAir CPU per stream <= 2x nginx-rtmp (at the largest N)',
          v.cpuRatio === undefined ? 'n/a' : `${v.cpuRatio.toFixed(2)}x at N=${v.maxCount}`,
          verdict(v.cpuRatio === undefined ? undefined : v.cpuRatio <= 2),
        ],
        [
          '(for reference) CPU per added stream, from smallest to largest N',
          `OnAir ${pct(v.onairMarginalCpu, 2)}, nginx-rtmp ${pct(v.nginxMarginalCpu, 2)}` +
            (v.onairMarginalCpu !== undefined && v.nginxMarginalCpu !== undefined && v.nginxMarginalCpu > 0 ? ` (${(v.onairMarginalCpu / v.nginxMarginalCpu).toFixed(2)}x)` : ''),
          '',
        ],
        [
          'OnAir RSS growth per extra stream < 5 MB',
          v.onairRssPerStream === undefined ? 'n/a' : `${(v.onairRssPerStream / 1e6).toFixed(2)} MB/stream (nginx-rtmp: ${v.nginxRssPerStream === undefined ? 'n/a' : (v.nginxRssPerStream / 1e6).toFixed(2)} MB/stream)`,
          verdict(v.onairRssPerStream === undefined ? undefined : v.onairRssPerStream < 5e6),
        ],
        [
          `OnAir: ${v.maxCount ?? 50} publishers with no stalls`,
          v.stallsAtMax === undefined ? 'n/a' : `${v.stallsAtMax} stalled stream(s) over all repeats`,
          verdict(v.stallsAtMax === undefined ? undefined : v.stallsAtMax === 0 && v.maxCount !== undefined && v.maxCount >= 50),
        ],
      ],
    ),
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
