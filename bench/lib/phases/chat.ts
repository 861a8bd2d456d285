// Phase "chat" (issue #16): one channel's live chat with N connected readers and signed-in senders
// at a fixed total rate. A real web app (test/helpers/web-app.ts, fresh SQLite database) per run;
// the readers hold the pop-out chat stream (/api/channels/<slug>/chat/events) in worker processes
// (lib/chat-worker.ts) whose CPU is sampled apart from the app's; the senders post from this
// process. Reported: delay from the sender's timestamp before its POST to each reader's receipt,
// lost and out-of-order messages per reader, the app's CPU and RSS.
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel.js';
import { createDb } from '../../../lib/db.js';
import { hashPassword } from '../../../lib/passwords.js';
import { signInWithPassword } from '../../../test/helpers/sign-in.js';
import { ensureNextBuild, startWebApp } from '../../../test/helpers/web-app.js';
import { runChatSenders, type ChatSender } from '../chat-senders.js';
import { summarizeDeliveries, type ChatDeliverySummary } from '../chat-stats.js';
import type { ChatWorkerReport } from '../chat-worker.js';
import { startClientWorkers } from '../client-workers.js';
import { sampleWindow, type TreeUsage } from '../proc-stats.js';
import { distribution, type Distribution } from '../stats.js';
import { epochNow, sleep, withTimeout } from '../time.js';

/** Readers per worker process. */
const readersPerWorker = 250;
const senderPassword = 'chat bench sender password';

export interface ChatPhaseConfig {
  readers: number[];
  senders: number;
  ratePerSecond: number;
  warmupMs: number;
  windowMs: number;
  /** After the window: how long readers may still receive the window's last messages. */
  graceMs: number;
  /** Longest wait for every reader to have its history before the warm-up starts anyway. */
  joinTimeoutMs: number;
}

export interface ChatRun {
  readers: number;
  workers: number;
  /** Readers that had their first chat-history before the warm-up began, and how long they took to get there. */
  readyReaders: number;
  joinSeconds: number;
  appUsage: TreeUsage;
  readersCpuPercent: number;
  machineBusyPercent: number;
  delivery: ChatDeliverySummary;
  /** Sum over readers of ids that arrived at or below one seen before. */
  orderViolations: number;
  readersReporting: number;
  readersNeverConnected: number;
  /** Readers connected that received no message of the window at all. */
  silentReaders: number;
  /** Streams the app closed as too far behind (its event_stream_slow_reader_dropped log lines). */
  appDroppedReaders: number;
  /** Streams that ended during the window and were reopened with Last-Event-ID. */
  reconnects: number;
  readerErrors: number;
  firstReaderError?: string;
  /** The senders' POSTs whose send time fell in the window. */
  sends: { attempted: number; accepted: number; statuses: Record<string, number>; response: Distribution; firstError?: string };
}

export interface ChatPhaseResult {
  measuredAt: string;
  config: ChatPhaseConfig & { readersPerWorker: number; appEnv: Record<string, string> };
  runs: ChatRun[];
  errors: string[];
}

/** The web app's per-address caps, raised: every reader and sender comes from 127.0.0.1. */
export function chatAppEnv(readers: number): Record<string, string> {
  return { VIEWERS_PER_ADDRESS: String(Math.max(3, readers)), EVENT_STREAMS_PER_ADDRESS: String(Math.max(100, readers + 100)), SIGNIN_RATE_LIMIT: '1000', SIGNIN_USER_RATE_LIMIT: '1000' };
}

async function runChat(readers: number, config: ChatPhaseConfig): Promise<ChatRun> {
  const app = await startWebApp({ env: chatAppEnv(readers) });
  const db = createDb(app.databaseUrl);
  try {
    // One channel; its owner does not post (the owner is exempt from slow mode, the senders are plain users).
    const slug = 'chatbench';
    await createUserWithChannel(db, { username: slug, passwordHash: null });
    const passwordHash = await hashPassword(senderPassword);
    const senders: ChatSender[] = [];
    for (let i = 0; i < config.senders; i++) {
      const username = `chatter${String(i).padStart(3, '0')}`;
      await createUserWithChannel(db, { username, passwordHash });
      senders.push({ cookie: await signInWithPassword(app.url, username, senderPassword) });
    }

    const workers = startClientWorkers<{ url: string }, ChatWorkerReport>(new URL('../chat-worker.ts', import.meta.url), readers, readersPerWorker);
    const stopSending = new AbortController();
    try {
      workers.start({ url: `${app.url}/api/channels/${slug}/chat/events` });
      // The warm-up starts once every reader has its history (or after a bound): joining is not what is measured.
      const joinStart = performance.now();
      const readyReaders = await workers.waitReady(readers, config.joinTimeoutMs);
      const joinSeconds = (performance.now() - joinStart) / 1000;
      const sending = runChatSenders({ url: `${app.url}/api/channels/${slug}/chat/messages`, senders, ratePerSecond: config.ratePerSecond, timeoutMs: 10_000 }, stopSending.signal);
      await sleep(config.warmupMs);
      workers.mark();
      const windowStart = epochNow();
      const usage = await sampleWindow(app.process.pid, workers.pids, config.windowMs);
      const windowEnd = epochNow();
      stopSending.abort();
      const sent = await withTimeout(sending, 30_000, 'chat senders');
      await sleep(config.graceMs);
      const reports = await workers.collect(60_000, 'chat reader worker report');

      const inWindow = sent.filter((m) => m.sentAt >= windowStart && m.sentAt < windowEnd);
      const sentAt = new Map(inWindow.flatMap((m) => (m.id === undefined ? [] : [[m.id, m.sentAt] as const])));
      const stats = reports.flatMap((r) => r.readers);
      const statuses: Record<string, number> = {};
      for (const m of inWindow) statuses[String(m.status)] = (statuses[String(m.status)] ?? 0) + 1;
      const run: ChatRun = {
        readers,
        workers: workers.pids.length,
        readyReaders,
        joinSeconds,
        appUsage: usage.server,
        readersCpuPercent: usage.clientsCpuPercent,
        machineBusyPercent: usage.machineBusyPercent,
        delivery: summarizeDeliveries(sentAt, reports.map((r) => r.deliveries), stats, readers),
        orderViolations: stats.reduce((sum, s) => sum + s.orderViolations, 0),
        readersReporting: stats.length,
        readersNeverConnected: stats.filter((s) => !s.connected).length + (readers - stats.length),
        silentReaders: stats.filter((s) => s.connected && s.ids.length === 0).length,
        appDroppedReaders: app.output().split('event_stream_slow_reader_dropped').length - 1,
        reconnects: stats.reduce((sum, s) => sum + s.reconnects, 0),
        readerErrors: stats.reduce((sum, s) => sum + s.errors, 0),
        sends: { attempted: inWindow.length, accepted: sentAt.size, statuses, response: distribution(inWindow.map((m) => m.responseMs)) },
      };
      const firstReaderError = stats.find((s) => s.firstError !== undefined)?.firstError;
      if (firstReaderError !== undefined) run.firstReaderError = firstReaderError;
      const firstSendError = inWindow.find((m) => m.error !== undefined)?.error;
      if (firstSendError !== undefined) run.sends.firstError = firstSendError;
      return run;
    } finally {
      stopSending.abort();
      await workers.stop();
    }
  } finally {
    await db.$disconnect();
    await app.stop();
  }
}

export async function runChatPhase(config: ChatPhaseConfig, log: (line: string) => void): Promise<ChatPhaseResult> {
  const result: ChatPhaseResult = {
    measuredAt: new Date().toISOString(),
    config: { ...config, readersPerWorker, appEnv: chatAppEnv(Math.max(...config.readers)) },
    runs: [],
    errors: [],
  };
  // Outside the runs' time limits: a stale Next.js build is rebuilt first (minutes on a busy machine).
  await ensureNextBuild();
  for (const readers of config.readers) {
    const what = `chat ${readers} readers, ${config.senders} senders at ${config.ratePerSecond}/s`;
    try {
      const run = await withTimeout(runChat(readers, config), config.joinTimeoutMs + config.warmupMs + config.windowMs + config.graceMs + 180_000, what);
      result.runs.push(run);
      const d = run.delivery;
      log(
        `${what}: delay p50 ${d.delays.delays.p50.toFixed(0)} ms p99 ${d.delays.delays.p99.toFixed(0)} ms, lost ${d.lost}, out of order ${run.orderViolations}, ` +
          `app cpu ${run.appUsage.cpuPercent.toFixed(1)} % rss ${(run.appUsage.rssBytes / 2 ** 20).toFixed(1)} MiB, readers cpu ${run.readersCpuPercent.toFixed(1)} %, ` +
          `sent ${run.sends.accepted}/${run.sends.attempted}, machine ${run.machineBusyPercent.toFixed(0)} % busy`,
      );
    } catch (error) {
      result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
      log(`${what}: FAILED ${String(error).slice(0, 300)}`);
    }
  }
  return result;
}
