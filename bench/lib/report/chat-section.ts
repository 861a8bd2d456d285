// RESULTS.md: one channel's live chat with N readers and signed-in senders (issue #16).
import type { ChatPhaseResult, ChatRun } from '../phases/chat.js';
import { mib, ms, pct, table, verdict } from './markdown.js';

/** The issue's goal, on the bench machine's 2 cores. */
export const chatP99GoalMs = 250;
/** The reader count the goal is stated for. */
export const chatGoalReaders = 1000;

export interface ChatVerdicts {
  /** The run with the most readers. */
  top?: ChatRun;
  /** p99 under the goal at >= chatGoalReaders readers, every send of the window accepted; undefined when not measured there. */
  p99Ok?: boolean;
  /** No (reader, message) lost, nothing out of order and every send of the window accepted, in every run. */
  deliveryOk?: boolean;
}

/** A send the app did not accept (refused, or no answer within the sender's limit) never reaches a reader. */
const allSent = (run: ChatRun) => run.sends.accepted === run.sends.attempted;

export function chatVerdicts(result: ChatPhaseResult): ChatVerdicts {
  const runs = [...result.runs].sort((a, b) => a.readers - b.readers);
  const top = runs[runs.length - 1];
  if (!top) return {};
  const v: ChatVerdicts = { top, deliveryOk: runs.every((r) => r.delivery.lost === 0 && r.orderViolations === 0 && r.delivery.messages > 0 && allSent(r)) };
  if (top.readers >= chatGoalReaders) v.p99Ok = top.delivery.delays.delays.p99 < chatP99GoalMs && allSent(top);
  return v;
}

/** ", N of M sends not accepted" when some were not. */
export function failedSends(run: ChatRun): string {
  return allSent(run) ? '' : `, ${run.sends.attempted - run.sends.accepted} of ${run.sends.attempted} sends not accepted`;
}

export function chatSection(result: ChatPhaseResult): string {
  const c = result.config;
  const rows = [...result.runs]
    .sort((a, b) => a.readers - b.readers)
    .map((run) => {
      const d = run.delivery.delays.delays;
      const statuses = Object.entries(run.sends.statuses)
        .map(([status, n]) => `${n}x ${status}`)
        .join(', ');
      return [
        String(run.readers),
        `${ms(d.p50)} / ${ms(d.p90)} / ${ms(d.p99)} / ${ms(d.max)}`,
        `${ms(run.delivery.firstDelays.p50)} / ${ms(run.delivery.firstDelays.p99)}`,
        String(d.count),
        `${run.delivery.lost} (${run.delivery.readersWithLoss} readers)`,
        String(run.orderViolations),
        pct(run.appUsage.cpuPercent),
        mib(run.appUsage.rssBytes),
        `${pct(run.readersCpuPercent)} (${run.workers})`,
        pct(run.machineBusyPercent, 0),
        `${run.sends.accepted}/${run.sends.attempted} (${statuses}); response p50 ${ms(run.sends.response.p50)} p99 ${ms(run.sends.response.p99)}`,
        `${run.readyReaders}/${run.readers} joined (history) in ${run.joinSeconds.toFixed(1)} s; ${run.readersNeverConnected} never connected, ${run.silentReaders} got nothing in the window, ${run.appDroppedReaders} dropped by the app as too slow, ${run.reconnects} reconnects, ${run.readerErrors} errors${run.firstReaderError !== undefined ? ` (${run.firstReaderError.slice(0, 80)})` : ''}`,
      ];
    });
  const v = chatVerdicts(result);
  const top = v.top;
  const env = Object.entries(c.appEnv)
    .map(([k, value]) => `\`${k}=${value}\``)
    .join(' ');
  const lines = [
    `Measured ${result.measuredAt}. The web app (\`next start\` through scripts/web-server.mjs, test/helpers/web-app.ts; fresh SQLite database per row) with one channel; ` +
      `N readers hold its pop-out chat stream (\`/api/channels/<slug>/chat/events\`, not counted as viewers), ${c.readersPerWorker} per worker process, joining over about 5 s; ` +
      `the warm-up starts when every reader has had its \`chat-history\` (at most ${c.joinTimeoutMs / 1000} s; "joined" says how long it took); ` +
      `${c.senders} users, signed in through next-auth's Credentials endpoint, post in turn at ${c.ratePerSecond} messages/s in total (open loop: message i is due at start + i / rate). ` +
      `After a ${c.warmupMs / 1000} s warm-up, a ${c.windowMs / 1000} s window; readers get ${c.graceMs / 1000} s more for the window's last messages. ` +
      `Every reader and sender is on 127.0.0.1, so the app runs with its per-address caps raised: ${env}.`,
    '',
    '"delay": receipt by a reader (its worker\'s clock when the chunk carrying the event arrived) minus the sender\'s timestamp taken just before its POST, ' +
      'one value per (reader, message) sent in the window; it includes the POST, the database write, the fan-out and any wait for a core in the reader workers. ' +
      '"first reader": per message, the earliest receipt by any reader (the POST and write before the fan-out spreads it). ' +
      `"lost": (reader, message) pairs not received by the end of the ${c.graceMs / 1000} s after the window (a reader reconnecting with Last-Event-ID is replayed what it missed, so a drop alone is no loss; a message still on its way then is). ` +
      '"out of order": message ids arriving at or below one the reader already had. "app CPU / RSS": the web server\'s process tree, % of one core and median RSS.',
    '',
    table(
      ['readers', 'delay p50 / p90 / p99 / max', 'first reader p50 / p99', 'deliveries', 'lost', 'out of order', 'app CPU', 'app RSS', "readers' CPU (workers)", 'machine busy', 'sent in window', 'readers'],
      rows,
    ),
    '',
    table(
      ['target (issue #16)', 'measured', 'verdict'],
      [
        [
          `chat p99 send -> receipt < ${chatP99GoalMs} ms, ${chatGoalReaders} readers, on these 2 cores`,
          top === undefined ? 'not measured' : `p99 ${ms(top.delivery.delays.delays.p99)} at ${top.readers} readers${failedSends(top)}`,
          verdict(v.p99Ok),
        ],
        [
          'chat: no lost or reordered messages',
          top === undefined ? 'not measured' : result.runs.map((r) => `${r.delivery.lost} lost, ${r.orderViolations} out of order at ${r.readers}${failedSends(r)}`).join('; '),
          verdict(v.deliveryOk),
        ],
      ],
    ),
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
