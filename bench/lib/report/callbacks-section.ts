// RESULTS.md: the web app's on_publish decision latency under 200 callbacks/s.
import type { CallbackPhaseResult } from '../phases/callbacks.js';
import { median } from '../stats.js';
import { ms, table, verdict } from './markdown.js';

export function callbackSection(result: CallbackPhaseResult & { measuredAt: string; config: { ratePerSecond: number; durationMs: number; repeats: number } }): string {
  const allow = result.runs.filter((r) => r.kind === 'allow');
  const rows = result.runs.map((r) => [
    r.kind === 'allow' ? `allow #${r.repeat + 1}` : 'deny (unknown keys)',
    String(r.requests),
    `${r.achievedRatePerSecond.toFixed(1)}/s`,
    `${ms(r.latency.p50, 1)} / ${ms(r.latency.p90, 1)} / ${ms(r.latency.p99, 1)} / ${ms(r.latency.max, 1)}`,
    `${ms(r.service.p50, 1)} / ${ms(r.service.p99, 1)}`,
    Object.entries(r.statuses).map(([status, count]) => `${status}: ${count}`).join(', '),
    `${r.failures}${r.firstFailure !== undefined ? ` (${r.firstFailure})` : ''}`,
    ms(r.maxSendLagMs, 1),
    `${r.settleSeconds.toFixed(1)} s`,
  ]);
  const p50 = allow.length > 0 ? median(allow.map((r) => r.latency.p50)) : undefined;
  const p99 = allow.length > 0 ? median(allow.map((r) => r.latency.p99)) : undefined;
  const failures = allow.reduce((sum, r) => sum + r.failures, 0);
  // An "allow" run only measures the allow path if the app actually allowed (2xx, or 3xx for nginx-rtmp's rename/relay).
  const notAllowed = allow.reduce((sum, r) => sum + Object.entries(r.statuses).filter(([status]) => !/^[23]/.test(status)).reduce((n, [, c]) => n + c, 0), 0);
  return [
    `Measured ${result.measuredAt}. ${result.config.ratePerSecond} requests/s open-loop for ${result.config.durationMs / 1000} s per run, ` +
      `${result.runs.length} run(s), after a warm-up of 2 s at 50/s on each path, deny then allow (not counted, own channels); before each run the bench waits until a lone request is answered within 100 ms ` +
      `(so a previous run's backlog does not leak in). ${result.seededChannels} users + channels + stream keys seeded in bulk in ${result.seedSeconds.toFixed(1)} s. ` +
      'In the "allow" runs every request presents a different channel with its valid stream key (nginx-rtmp form `name=<slug>&...&key=<key>`, i.e. a publish to `live/<slug>?key=<key>`), so every decision is an allow (lookup + the transaction that marks ' +
      'the channel live and opens its session); the targets are judged on these. The "deny" run uses well-formed keys nobody owns (one indexed lookup, no write).',
    '',
    table(['run', 'requests', 'achieved send rate', 'latency p50 / p90 / p99 / max (from due time)', 'service p50 / p99 (from send)', 'HTTP statuses', 'failures (no HTTP answer within 10 s)', 'max sender lag', 'settle before run'], rows),
    '',
    table(
      ['target', 'measured (median over allow runs)', 'verdict'],
      [
        ['p50 < 10 ms', ms(p50, 1), notAllowed > 0 ? `not measured (${notAllowed} allow-run requests were refused)` : verdict(p50 === undefined ? undefined : p50 < 10 && failures === 0)],
        ['p99 < 50 ms', ms(p99, 1), notAllowed > 0 ? `not measured (${notAllowed} allow-run requests were refused)` : verdict(p99 === undefined ? undefined : p99 < 50 && failures === 0)],
      ],
    ),
    '',
    failures > 0 ? `${failures} request(s) in the allow runs got no HTTP answer within 10 s; they count as infinitely slow in the percentiles ("no answer").` : '',
  ].join('\n');
}
