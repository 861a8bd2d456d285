// RESULTS.md: the hostile phase, OnAir (default limits) beside nginx-rtmp on the same attacks.
import { attacks } from '../attacks.js';
import type { HostilePhaseResult, HostileRun } from '../phases/hostile.js';
import { mib, ms, table, verdict } from './markdown.js';

const MB = 1e6;
/** The legit stream stalled if its playlist got no new media for this long (as in the load phase). */
export const hostileStallMs = (segmentMs: number) => 2 * segmentMs + 500;

const rise = (run: HostileRun) => run.peakRssBytes - run.baselineRssBytes;

/**
 * A peak within this of nginx-rtmp's counts as no worse: a Node heap grows by several MB in a
 * window on its own. 5 MB, or more if the control row (no attacker) shows OnAir drifting more
 * than nginx-rtmp did in the same windows.
 */
export function betterToleranceBytes(result: HostilePhaseResult): number {
  const onair = result.runs.find((r) => r.attack === 'none' && r.server === 'OnAir');
  const nginx = result.runs.find((r) => r.attack === 'none' && r.server === 'nginx-rtmp');
  const drift = onair && nginx ? rise(onair) - rise(nginx) : 0;
  return Math.max(5 * MB, drift);
}

const afterRise = (run: HostileRun) => run.afterRssBytes - run.baselineRssBytes;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;

export interface HostileVerdicts {
  /** Largest OnAir peak RSS rise over all cases, bytes. */
  onairWorstRise?: number;
  onairWorstRiseCase?: string;
  /** Cases in which OnAir's legit stream stalled. */
  onairStalls: string[];
  /** Cases in which OnAir's peak rise exceeded nginx-rtmp's or its stall was worse, or it died. */
  notBetter: string[];
  casesCompared: number;
  casesMeasured: number;
  /** How much more than nginx-rtmp's peak rise still counts as no worse (betterToleranceBytes). */
  toleranceBytes: number;
}

/** Cases that are attacks (not the control). */
export const attackCount = (cases: readonly string[]) => cases.filter((c) => c !== 'none').length;

function stalled(run: HostileRun, segmentMs: number): boolean {
  return run.worstStallMs > hostileStallMs(segmentMs) || !run.serverAlive || run.publisherExited;
}

export function hostileVerdicts(result: HostilePhaseResult): HostileVerdicts {
  const segmentMs = result.config.options.segmentMs;
  const v: HostileVerdicts = { onairStalls: [], notBetter: [], casesCompared: 0, casesMeasured: 0, toleranceBytes: betterToleranceBytes(result) };
  for (const attack of result.config.cases) {
    if (attack === 'none') continue; // the control is not an attack
    const onair = result.runs.find((r) => r.attack === attack && r.server === 'OnAir');
    const nginx = result.runs.find((r) => r.attack === attack && r.server === 'nginx-rtmp');
    if (!onair) continue;
    v.casesMeasured += 1;
    if (v.onairWorstRise === undefined || rise(onair) > v.onairWorstRise) {
      v.onairWorstRise = rise(onair);
      v.onairWorstRiseCase = attack;
    }
    if (stalled(onair, segmentMs)) v.onairStalls.push(attack);
    if (!nginx) continue;
    v.casesCompared += 1;
    const worseStall = stalled(onair, segmentMs) && onair.worstStallMs > nginx.worstStallMs;
    if (rise(onair) > rise(nginx) + v.toleranceBytes || worseStall || !onair.serverAlive) v.notBetter.push(attack);
  }
  return v;
}

function notes(run: HostileRun): string {
  const parts: string[] = [];
  if (!run.serverAlive) parts.push('SERVER DIED');
  if (run.publisherExited) parts.push('publisher dropped');
  if (run.viewerErrors > 0) parts.push(`${run.viewerErrors} viewer errors (${(run.firstViewerError ?? '').slice(0, 80)})`);
  const statuses = Object.entries(run.attacker.statuses).map(([status, count]) => `${count}x${status}`).join(' ');
  if (statuses !== '') parts.push(`answers ${statuses}`);
  return parts.join('; ');
}

export function hostileSection(result: HostilePhaseResult): string {
  const c = result.config;
  const segmentMs = c.options.segmentMs;
  const rows: string[][] = [];
  for (const attack of c.cases) {
    for (const server of ['nginx-rtmp', 'OnAir']) {
      const run = result.runs.find((r) => r.attack === attack && r.server === server);
      if (!run) {
        rows.push([attacks[attack].label, server, 'not measured', '', '', '', '', '']);
        continue;
      }
      rows.push([
        attacks[attack].label,
        server,
        mib(run.baselineRssBytes),
        `${mib(run.peakRssBytes)} (${signedMib(rise(run))})`,
        `${mib(run.afterRssBytes)} (${signedMib(afterRise(run))})`,
        `${ms(run.worstStallMs)}${stalled(run, segmentMs) ? ' STALLED' : ''}`,
        `${run.attacker.connections} / ${run.attacker.closedByServer} / ${run.attacker.sent}`,
        notes(run),
      ]);
    }
  }
  const v = hostileVerdicts(result);
  const lines = [
    `Measured ${result.measuredAt}. Each row: a fresh server with one ffmpeg publisher and one HLS viewer on 127.0.0.1 (LL-HLS with ` +
      `blocking reload for OnAir, classic for nginx-rtmp), ${c.warmupMs / 1000} s warm-up, baseline RSS = median of ${c.baselineMs / 1000} s of samples, ` +
      `then the attack from 127.0.0.3 for ${c.attackMs / 1000} s (RSS sampled every ${c.sampleMs} ms; peak = largest sample), then RSS ${c.afterMs / 1000} s after the attacker closed every socket. ` +
      'RSS is of the server process tree (OnAir: one Node process; nginx-rtmp: master + worker + cache manager). ' +
      'OnAir runs with its DEFAULT limits (no limit flags; the attacker has its own address, so the per-address caps apply to it as to a stranger). ' +
      `"Worst stall" is the legit viewer's longest wait for new media in its playlist during the attack; over ${ms(hostileStallMs(segmentMs))} (2 segments + 0.5 s) counts as stalled. ` +
      'Attacker column: connections opened / of those closed by the server while the attacker still held them / requests or messages written.',
    '',
    table(['attack', 'server', 'RSS before', 'peak RSS during (rise)', `RSS ${c.afterMs / 1000} s after (vs before)`, 'legit worst stall', 'attacker conns / closed by server / sent', 'notes'], rows),
    '',
    table(
      ['target (issue #13)', 'measured', 'verdict'],
      [
        [
          'no case raises OnAir RSS by more than 50 MB',
          v.onairWorstRise === undefined ? 'n/a' : `worst ${(v.onairWorstRise / MB).toFixed(1)} MB (${v.onairWorstRiseCase})`,
          verdict(v.onairWorstRise === undefined ? undefined : v.onairWorstRise <= 50 * MB && v.casesMeasured === attackCount(c.cases)),
        ],
        [
          'no case stalls the legit stream (OnAir)',
          v.casesMeasured === 0 ? 'n/a' : v.onairStalls.length === 0 ? `none of ${v.casesMeasured}` : `stalled in ${v.onairStalls.join(', ')}`,
          verdict(v.casesMeasured === 0 ? undefined : v.onairStalls.length === 0 && v.casesMeasured === attackCount(c.cases)),
        ],
        [
          `OnAir better than nginx-rtmp on every attack (peak RSS rise at most nginx-rtmp's + ${(v.toleranceBytes / MB).toFixed(1)} MB: 5 MB or the control row's extra drift; no worse stall)`,
          v.casesCompared === 0 ? 'n/a' : v.notBetter.length === 0 ? `all ${v.casesCompared} cases` : `not in ${v.notBetter.join(', ')}`,
          verdict(v.casesCompared === 0 ? undefined : v.notBetter.length === 0 && v.casesCompared === attackCount(c.cases)),
        ],
      ],
    ),
  ];
  if (result.errors.length > 0) lines.push('', 'Cases that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
