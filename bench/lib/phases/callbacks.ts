// Phase "callbacks": the web app's publish decision under nginx-rtmp-shaped on_publish load.
// A real `next start` (test/helpers/web-app.ts) on a fresh SQLite database (the default), seeded
// through the app's own lib functions with one user + channel + stream key per request, so every
// measured request is a publish that gets ALLOWED (the full path: key lookup + the transaction
// that flips the channel live and opens its session). The app runs with MEDIA_SERVER=nginx-rtmp,
// so it answers like it would to nginx-rtmp. The publisher uses the form the app documents for
// nginx-rtmp: rtmp://host/live/<channel slug>?key=<stream key>, which nginx-rtmp turns into
// name=<slug> ... &type=live&key=<key> (query args appended to the form body).
import { createDb, type Db } from '../../../lib/db.js';
import { generateStreamKey } from '../../../lib/stream-keys.js';
import { startWebApp } from '../../../test/helpers/web-app.js';
import { publishBody, runCallbackLoad } from '../callback-load.js';
import { distribution, type Distribution } from '../stats.js';
import { sleep } from '../time.js';

export interface CallbackConfig {
  ratePerSecond: number;
  durationMs: number;
  repeats: number;
}

export interface CallbackRun {
  /** 'allow': every request a different valid key; 'deny': well-formed keys nobody owns (read-only path). */
  kind: 'allow' | 'deny';
  repeat: number;
  /** Seconds spent before the run waiting for the app to answer a lone request within 100 ms. */
  settleSeconds: number;
  requests: number;
  achievedRatePerSecond: number;
  /** Due time -> response, ms (what a publisher waits, queueing included); no answer = Infinity. */
  latency: Distribution;
  /** Send -> response, ms. */
  service: Distribution;
  statuses: Record<string, number>;
  failures: number;
  firstFailure?: string;
  maxSendLagMs: number;
}

export interface CallbackPhaseResult {
  runs: CallbackRun[];
  seededChannels: number;
  seedSeconds: number;
}

/**
 * `count` users, each with its channel (slug = username) and a fresh stream key, written in two
 * bulk statements through the app's Prisma client: the same rows createUserWithChannel() and
 * resetStreamKey() write one by one (which takes minutes for thousands on a loaded machine).
 * Keys come from the app's own generateStreamKey().
 */
async function seedKeys(db: Db, from: number, count: number): Promise<string[]> {
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => {
    const username = `bench${String(from + i).padStart(5, '0')}`;
    return { username, key: generateStreamKey() };
  });
  await db.user.createMany({ data: rows.map((r) => ({ id: `u_${r.username}`, username: r.username, passwordHash: null })) });
  await db.channel.createMany({
    data: rows.map((r) => ({
      userId: `u_${r.username}`,
      slug: r.username,
      title: `${r.username}'s channel`,
      streamKeyHash: r.key.hash,
      streamKeyLast4: r.key.last4,
      streamKeyCreatedAt: now,
    })),
  });
  return rows.map((r) => r.key.key);
}

/**
 * Waits until the app answers a single (deny-path) callback within 100 ms, so one run's backlog
 * (requests still queued in the server after the client gave up) does not leak into the next.
 */
async function settle(target: { port: number; path: string }, limitMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    const load = await runCallbackLoad({ ...target, timeoutMs: 10_000, ratePerSecond: 1, durationMs: 1_000, body: (i) => publishBody(unknownKey(900_000 + i), 900_000 + i, 1935) });
    const first = load.results[0];
    if (first && first.serviceMs < 100) break;
    await sleep(1_000);
  }
  return (performance.now() - start) / 1000;
}

/** A well-formed stream key (live_ + 27 base64url chars) that no channel has. */
function unknownKey(i: number): string {
  return `live_${'u'.repeat(19)}${String(i).padStart(8, '0')}`;
}

export async function runCallbacks(config: CallbackConfig): Promise<CallbackPhaseResult> {
  const app = await startWebApp({ env: { MEDIA_SERVER: 'nginx-rtmp' } });
  const db = createDb(app.databaseUrl);
  try {
    const perRun = Math.round((config.ratePerSecond * config.durationMs) / 1000);
    const seedStart = performance.now();
    // Keys [0, runKeys) are the runs'; the 100 after them only the warm-up's.
    const runKeys = perRun * config.repeats;
    const keys = await seedKeys(db, 0, runKeys + 100);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const path = new URL(app.callbackUrl('on-publish'));
    const target = { port: app.port, path: `${path.pathname}${path.search}`, timeoutMs: 10_000 };

    // Warm-up (not counted): the first requests load the route's modules and open the database.
    // Both paths: well-formed keys that belong to nobody take the read-only deny path; then
    // channels of their own (not reused by the runs) take the allow path's write transaction,
    // which otherwise is cold in the first allow run only and skews that run's p90.
    await runCallbackLoad({
      ...target,
      ratePerSecond: 50,
      durationMs: 2_000,
      body: (i) => publishBody(unknownKey(i), i, 1935),
    });
    await runCallbackLoad({
      ...target,
      ratePerSecond: 50,
      durationMs: 2_000,
      body: (i) => publishBody(`bench${String(runKeys + i).padStart(5, '0')}`, 500 + i, 1935, keys[runKeys + i] ?? ''),
    });

    const runs: CallbackRun[] = [];
    const plan = [
      { kind: 'deny' as const, repeat: 0 },
      ...Array.from({ length: config.repeats }, (_, repeat) => ({ kind: 'allow' as const, repeat })),
    ];
    for (const { kind, repeat } of plan) {
      const settleSeconds = await settle(target, 60_000);
      const load = await runCallbackLoad({
        ...target,
        ratePerSecond: config.ratePerSecond,
        durationMs: config.durationMs,
        body:
          kind === 'allow'
            ? (i) => publishBody(`bench${String(repeat * perRun + i).padStart(5, '0')}`, 1000 + repeat * perRun + i, 1935, keys[repeat * perRun + i] ?? '')
            : (i) => publishBody(unknownKey(i), 100_000 + i, 1935),
      });
      const statuses: Record<string, number> = {};
      for (const r of load.results) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
      // A request that got no answer counts as infinitely slow, so it is in the percentiles.
      const unanswered = Array.from({ length: load.failures }, () => Number.POSITIVE_INFINITY);
      const run: CallbackRun = {
        kind,
        repeat,
        settleSeconds,
        requests: load.results.length + load.failures,
        achievedRatePerSecond: load.achievedRatePerSecond,
        latency: distribution([...load.results.map((r) => r.latencyMs), ...unanswered]),
        service: distribution([...load.results.map((r) => r.serviceMs), ...unanswered]),
        statuses,
        failures: load.failures,
        maxSendLagMs: load.maxSendLagMs,
      };
      if (load.firstFailure !== undefined) run.firstFailure = load.firstFailure;
      runs.push(run);
    }
    return { runs, seededChannels: keys.length, seedSeconds };
  } finally {
    await db.$disconnect();
    await app.stop();
  }
}
