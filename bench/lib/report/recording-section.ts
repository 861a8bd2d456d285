// RESULTS.md: OnAir with recording off vs on (issue #15): CPU, RSS, disk write rate, glass-to-glass.
import type { RecordingPhaseResult, RecordingRun } from '../phases/recording.js';
import { median } from '../stats.js';
import { mib, ms, pct, table, verdict } from './markdown.js';

/** Limits of the verdicts (issue #15's goals; the RSS allowance is explained in the section). */
export const recordingLimits = { cpuIncrease: 0.1, rssPerStreamBytes: 0.5e6, diskRatioTolerance: 0.05 };

interface Cell {
  cpu: number;
  rss: number;
  disk: number;
  ingest: number;
  stalled: number;
  streams: number;
  worstGap: number;
  errors: number;
  publishersExited: number;
  /** Smallest recorded-stream count over the runs (largest when recording is off). */
  recorded: number;
  machine: number;
  runs: number;
}

function cell(runs: readonly RecordingRun[], recording: boolean): Cell | undefined {
  if (runs.length === 0) return undefined;
  const recorded = runs.map((r) => r.recordedStreams);
  return {
    cpu: median(runs.map((r) => r.usage.cpuPercent)),
    rss: median(runs.map((r) => r.usage.rssBytes)),
    disk: median(runs.map((r) => r.diskBytesPerSecond)),
    ingest: median(runs.map((r) => r.ingestBytesPerSecond)),
    stalled: runs.reduce((sum, r) => sum + r.stalledStreams, 0),
    streams: runs.reduce((sum, r) => sum + r.publishers, 0),
    worstGap: Math.max(...runs.map((r) => r.worstGapMs)),
    errors: runs.reduce((sum, r) => sum + r.viewerErrors, 0),
    publishersExited: runs.reduce((sum, r) => sum + r.publishersExited, 0),
    recorded: recording ? Math.min(...recorded) : Math.max(...recorded),
    machine: median(runs.map((r) => r.machineBusyPercent)),
    runs: runs.length,
  };
}

export interface RecordingCompare {
  publishers: number;
  /** CPU on / CPU off - 1 (medians). */
  cpuIncrease: number;
  /** (RSS on - RSS off) / N (medians), bytes per stream. */
  rssPerStreamDelta: number;
  /** Disk write rate / ingest rate, recording on (medians). */
  diskRatio: number;
  /** Every "on" run recorded all N streams. */
  allRecorded: boolean;
}

export interface RecordingVerdicts {
  compares: RecordingCompare[];
  cpuOk?: boolean;
  rssOk?: boolean;
  diskOk?: boolean;
  /** Glass-to-glass, recording on (median of its runs) and the plain (off) runs' medians. */
  glassOn?: number;
  glassOff: number[];
  /** |on - median(off)| <= max(off) - min(off); undefined with fewer than 2 off runs. */
  glassOk?: boolean;
}

export function recordingVerdicts(result: RecordingPhaseResult): RecordingVerdicts {
  const compares: RecordingCompare[] = [];
  for (const n of [...result.config.counts].sort((a, b) => a - b)) {
    const offRuns = result.runs.filter((r) => r.publishers === n && !r.recording);
    const onRuns = result.runs.filter((r) => r.publishers === n && r.recording);
    const off = cell(offRuns, false);
    const on = cell(onRuns, true);
    if (!off || !on) continue;
    compares.push({
      publishers: n,
      cpuIncrease: on.cpu / off.cpu - 1,
      rssPerStreamDelta: (on.rss - off.rss) / n,
      diskRatio: on.disk / on.ingest,
      allRecorded: onRuns.every((r) => r.recordedStreams === n),
    });
  }
  const v: RecordingVerdicts = { compares, glassOff: [] };
  if (compares.length > 0) {
    v.cpuOk = compares.every((c) => c.cpuIncrease <= recordingLimits.cpuIncrease);
    v.rssOk = compares.every((c) => c.rssPerStreamDelta <= recordingLimits.rssPerStreamBytes);
    v.diskOk = compares.every((c) => c.allRecorded && Math.abs(c.diskRatio - 1) <= recordingLimits.diskRatioTolerance);
  }
  const measured = result.glass.filter((r) => r.samples > 0);
  v.glassOff = measured.filter((r) => !r.recording).map((r) => r.medianMs);
  const on = measured.filter((r) => r.recording).map((r) => r.medianMs);
  if (on.length > 0) v.glassOn = median(on);
  if (v.glassOn !== undefined && v.glassOff.length >= 2) {
    const spread = Math.max(...v.glassOff) - Math.min(...v.glassOff);
    // "Unchanged" means recording adds no latency: on may be slower than the off runs' median by at
    // most their spread; a faster run is not a change recording could cause.
    v.glassOk = v.glassOn - median(v.glassOff) <= spread;
  }
  return v;
}

const mbit = (bytesPerSecond: number | undefined) => (bytesPerSecond === undefined || Number.isNaN(bytesPerSecond) ? 'n/a' : `${((bytesPerSecond * 8) / 1e6).toFixed(2)} Mbit/s`);
const signedPct = (ratio: number) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)} %`;
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1e6).toFixed(2)} MB`;

export function recordingSection(result: RecordingPhaseResult): string {
  const c = result.config;
  const rows: string[][] = [];
  for (const n of [...c.counts].sort((a, b) => a - b)) {
    for (const recording of [false, true]) {
      const x = cell(result.runs.filter((r) => r.publishers === n && r.recording === recording), recording);
      const name = recording ? 'on' : 'off';
      if (!x) {
        rows.push([String(n), name, 'not measured', '', '', '', '', '', '', '', '', '']);
        continue;
      }
      rows.push([
        String(n), name, pct(x.cpu), pct(x.cpu / n, 2), mib(x.rss), mib(x.rss / n, 2), `${x.stalled}/${x.streams}`, ms(x.worstGap),
        `${x.errors}${x.publishersExited > 0 ? `, ${x.publishersExited} publishers exited` : ''}`,
        recording ? `${mbit(x.disk)} (${(x.disk / x.ingest).toFixed(3)}x ingest ${mbit(x.ingest)})` : `${mbit(x.disk)}`,
        `${x.recorded}/${n}`,
        `${pct(x.machine, 0)} (${x.runs} runs)`,
      ]);
    }
  }
  const v = recordingVerdicts(result);
  const glassRows = result.glass.map((r) => [
    r.recording ? 'on' : 'off',
    r.samples > 0 ? `${r.medianMs.toFixed(0)} (${r.p10Ms.toFixed(0)}-${r.p90Ms.toFixed(0)})` : 'no frames',
    String(r.samples),
    String(r.waiting),
    r.playerErrors.join('; ') || 'none',
  ]);
  const spread = v.glassOff.length >= 2 ? Math.max(...v.glassOff) - Math.min(...v.glassOff) : undefined;
  const lines = [
    `Measured ${result.measuredAt}. OnAir only (nginx-rtmp's \`record\` is a different feature: raw FLV). Each cell is the load phase's run ` +
      `(N copy publishers of the cached input, one LL-HLS viewer each, ${c.warmupMs / 1000} s warm-up, ${c.windowMs / 1000} s window, the server tree sampled), ` +
      `${c.repeats} repeat(s), a fresh server per run. Every server is started with \`--record-dir <fresh temp dir>\` and \`--on-publish\` pointing at a hook in ` +
      'the bench process that allows every publish: "on" answers with `X-OnAir-Record: 1`, "off" without it; nothing else differs.',
    '',
    `Disk write rate: bytes of all files under the record dir at the window's end minus at its start, per second of window. ` +
      `Ingest: the input file's size / its duration (${mbit(c.inputBytesPerSecond)} per publisher; \`-re -c copy\` sends exactly that) x N. ` +
      `Segments reach the disk whole when they close (every ${c.options.segmentMs / 1000} s), so the window is a whole number of segments; ` +
      'a segment that closes on the window\'s edge can still move the ratio by up to one segment per stream.',
    '',
    table(
      ['publishers', 'recording', 'CPU (median, % of one core)', 'CPU per stream', 'RSS (median)', 'RSS per stream', 'stalled streams', 'worst gap', 'viewer errors', 'disk write rate', 'streams recorded', 'machine busy'],
      rows,
    ),
    '',
    `Glass-to-glass (${c.glassSetup}; the glass phase's page and publisher), recording off and on, in the order run ` +
      `(${c.glassWarmupMs / 1000} s to settle, ${c.glassWindowMs / 1000} s window):`,
    '',
    glassRows.length > 0 ? table(['recording', 'median (p10-p90) ms', 'frames', "'waiting' events", 'player errors'], glassRows) : 'Not run.',
    '',
    table(
      ['target (issue #15)', 'measured', 'verdict'],
      [
        [
          'recording adds at most 10 % CPU (on vs off, each N)',
          v.compares.length === 0 ? 'n/a' : v.compares.map((x) => `${signedPct(x.cpuIncrease)} at ${x.publishers}`).join(', '),
          verdict(v.cpuOk),
        ],
        [
          `no RSS growth per stream ((RSS on - RSS off) / N at most ${recordingLimits.rssPerStreamBytes / 1e6} MB, each N)`,
          v.compares.length === 0 ? 'n/a' : v.compares.map((x) => `${signedMb(x.rssPerStreamDelta)}/stream at ${x.publishers}`).join(', '),
          verdict(v.rssOk),
        ],
        [
          `disk write rate = ingest bitrate (within ${recordingLimits.diskRatioTolerance * 100} %, every stream recorded)`,
          v.compares.length === 0 ? 'n/a' : v.compares.map((x) => `${x.diskRatio.toFixed(3)}x at ${x.publishers}${x.allRecorded ? '' : ' (not every stream recorded)'}`).join(', '),
          verdict(v.diskOk),
        ],
        [
          'glass-to-glass unchanged (on no slower than the off runs\' median plus their spread)',
          v.glassOn === undefined
            ? 'n/a'
            : `on ${ms(v.glassOn)}; off ${v.glassOff.map((x) => x.toFixed(0)).join(', ')} ms${spread === undefined ? ' (fewer than 2 off runs: no spread)' : ` (spread ${spread.toFixed(0)} ms)`}`,
          verdict(v.glassOk),
        ],
      ],
    ),
    '',
    `The RSS allowance: a Node heap moves by several MB between runs on its own (see the hostile phase); ${recordingLimits.rssPerStreamBytes / 1e6} MB x 10 streams is that. ` +
      'Growth with N shows as the same difference per stream at both N.',
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
