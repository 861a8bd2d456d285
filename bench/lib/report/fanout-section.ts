// RESULTS.md: one stream, N viewers: OnAir LL-HLS viewers and nginx-rtmp classic viewers.
import type { FanoutPhaseResult, FanoutRun } from '../phases/fanout.js';
import { mib, ms, pct, table, verdict } from './markdown.js';

export interface FanoutVerdicts {
  /** OnAir at the largest viewer count measured. */
  maxViewers?: number;
  stalledAtMax?: number;
  errorsAtMax?: number;
  /** Smallest viewer count at which OnAir had stalls or errors. */
  breaksAt?: number;
}

export function fanoutVerdicts(result: FanoutPhaseResult): FanoutVerdicts {
  const onair = result.runs.filter((r) => r.server === 'OnAir').sort((a, b) => a.viewers - b.viewers);
  const v: FanoutVerdicts = {};
  const top = onair[onair.length - 1];
  if (top) {
    v.maxViewers = top.viewers;
    v.stalledAtMax = top.stalledViewers;
    v.errorsAtMax = top.viewerErrors;
  }
  const broken = onair.find((r) => r.stalledViewers > 0 || r.viewerErrors > 0);
  if (broken) v.breaksAt = broken.viewers;
  return v;
}

function limitedBy(run: FanoutRun): string {
  const server = run.serverUsage.cpuPercent;
  const machine = run.machineBusyPercent;
  const parts = [
    `machine ${pct(machine, 0)} busy (all cores)`,
    `server ${pct(server, 0)} of one core`,
    `viewer workers ${pct(run.viewerCpuPercent, 0)}`,
  ];
  let reason = 'no CPU limit reached';
  if (machine >= 90) reason = 'the shared cores were saturated (server and viewers compete for them)';
  else if (server >= 90) reason = "the server's main thread (one core) was saturated";
  return `${reason}: ${parts.join(', ')}`;
}

export function fanoutSection(result: FanoutPhaseResult): string {
  const c = result.config;
  const rows: string[][] = [];
  for (const n of [...c.counts].sort((a, b) => a - b)) {
    for (const server of ['nginx-rtmp', 'OnAir']) {
      const run = result.runs.find((r) => r.server === server && r.viewers === n);
      if (!run) {
        rows.push([String(n), server, 'not measured', '', '', '', '', '', '', '', '']);
        continue;
      }
      const d = run.delivery;
      rows.push([
        String(n),
        server === 'OnAir' ? 'OnAir (LL-HLS)' : 'nginx-rtmp (classic)',
        pct(run.serverUsage.cpuPercent),
        pct(run.serverUsage.cpuPercent / n, 3),
        mib(run.serverUsage.rssBytes),
        `${pct(run.viewerCpuPercent)} (${run.workers})`,
        pct(run.machineBusyPercent, 0),
        d ? `${ms(d.delays.p50)} / ${ms(d.delays.p99)} (${d.delays.count})` : 'n/a (no parts)',
        `${run.stalledViewers}/${n}${run.viewersReported < n ? ` (${n - run.viewersReported} unreported)` : ''}`,
        ms(run.worstGapMs),
        `${run.viewerErrors}${run.firstViewerError !== undefined ? ` (${run.firstViewerError.slice(0, 80)})` : ''}${run.publisherExited ? '; publisher dropped' : ''}`,
      ]);
    }
  }
  const v = fanoutVerdicts(result);
  const onair = result.runs.filter((r) => r.server === 'OnAir').sort((a, b) => a.viewers - b.viewers);
  const broken = onair.find((r) => r.viewers === v.breaksAt);
  const top = onair[onair.length - 1];
  const lines = [
    `Measured ${result.measuredAt}. One publisher (the cached 2.5 Mbps input, \`-re -c copy\`) and N viewers of its stream, a fresh server per row; ` +
      `viewers join over the first seconds of a ${c.warmupMs / 1000} s warm-up, then a ${c.windowMs / 1000} s window. ` +
      `The viewers run in worker processes (${c.viewersPerWorker} per worker, lib/fanout-worker.ts); "viewers' CPU" is those processes together, measured apart from the server's tree. ` +
      'OnAir viewers use blocking reloads and fetch every part (LL-HLS); nginx-rtmp viewers reload every half target duration and fetch every segment (it has no LL-HLS). ' +
      `Segments ${c.options.segmentMs} ms, parts ${c.options.partMs} ms, window ${c.options.window}.`,
    '',
    `OnAir settings for this phase (all viewers come from 127.0.0.1, so the per-address caps are raised): \`${c.onairFlags.join(' ')}\`; everything else at its default.`,
    '',
    '"listed -> delivered" (OnAir): for every part a probe in the bench process saw first listed by a blocking reload (exact listing time) during the window, ' +
      'the time from that listing to each viewer having the part\'s last byte (p50 / p99 over all viewer x part pairs, count in brackets). ' +
      'It includes the viewer\'s own blocking reload, its part request, and any wait for CPU in the viewer workers.',
    '',
    table(
      ['viewers', 'server', 'server CPU (% of one core)', 'CPU per viewer', 'server RSS (median)', "viewers' CPU (workers)", 'machine busy', 'listed -> delivered p50 / p99', 'stalled viewers', 'worst gap', 'viewer errors'],
      rows,
    ),
    '',
    table(
      ['target (issue #13)', 'measured', 'verdict'],
      [
        [
          '1000 LL-HLS viewers on these 2 cores with no stalls',
          v.maxViewers === undefined ? 'n/a' : `${v.stalledAtMax} stalled, ${v.errorsAtMax} errors at ${v.maxViewers} viewers`,
          verdict(v.maxViewers === undefined ? undefined : v.maxViewers >= 1000 && v.stalledAtMax === 0),
        ],
      ],
    ),
    '',
    broken
      ? `Where it breaks: OnAir first had stalls or errors at ${broken.viewers} viewers (${broken.stalledViewers} stalled, ${broken.viewerErrors} errors); ${limitedBy(broken)}.`
      : top
        ? `OnAir had no stalls or errors up to ${top.viewers} viewers; at ${top.viewers}: ${limitedBy(top)}.`
        : 'OnAir not measured.',
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
