// Phase "callbacks": the web app's publish decision under nginx-rtmp-shaped on_publish load.
// A real `next start` (test/helpers/web-app.ts) on a fresh SQLite database (the default), seeded
// through the app's own lib functions with one user + channel + stream key per request, so every
// measured request is a publish that gets ALLOWED (the full path: key lookup + the transaction
// that flips the channel live and opens its session). The app runs with MEDIA_SERVER=nginx-rtmp,
// so it answers like it would to nginx-rtmp (302 to the relay URL for an allowed key).
import { createDb, type Db } from '../../../lib/db.js';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel.js';
import { resetStreamKey } from '../../../lib/channels/reset-stream-key.js';
import { startWebApp } from '../../../test/helpers/web-app.js';
import { publishBody, runCallbackLoad } from '../callback-load.js';
import { distribution, type Distribution } from '../stats.js';

export interface CallbackConfig {
  ratePerSecond: number;
  durationMs: number;
  repeats: number;
}

export interface CallbackRun {
  /** 'allow': every request a different valid key; 'deny': well-formed keys nobody owns (read-only path). */
  kind: 'allow' | 'deny';
  repeat: number;
  requests: number;
  achievedRatePerSecond: number;
  /** Due time -> response, ms (what a publisher waits, queueing included). */
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

async function seedKeys(db: Db, from: number, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = from; i < from + count; i += 50) {
    const batch = Array.from({ length: Math.min(50, from + count - i) }, (_, j) => i + j);
    const created = await Promise.all(
      batch.map(async (n) => {
        const { user } = await createUserWithChannel(db, { username: `bench${String(n).padStart(5, '0')}`, passwordHash: null });
        return (await resetStreamKey(db, user.id)).key;
      }),
    );
    keys.push(...created);
  }
  return keys;
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
    const keys = await seedKeys(db, 0, perRun * config.repeats);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const path = new URL(app.callbackUrl('on-publish'));
    const target = { port: app.port, path: `${path.pathname}${path.search}`, timeoutMs: 10_000 };

    // Warm-up (not counted): the first requests load the route's modules and open the database.
    // Well-formed keys that belong to nobody take the read-only deny path.
    await runCallbackLoad({
      ...target,
      ratePerSecond: 50,
      durationMs: 2_000,
      body: (i) => publishBody(unknownKey(i), i, 1935),
    });

    const runs: CallbackRun[] = [];
    const plan = [
      ...Array.from({ length: config.repeats }, (_, repeat) => ({ kind: 'allow' as const, repeat })),
      { kind: 'deny' as const, repeat: 0 },
    ];
    for (const { kind, repeat } of plan) {
      const load = await runCallbackLoad({
        ...target,
        ratePerSecond: config.ratePerSecond,
        durationMs: config.durationMs,
        body:
          kind === 'allow'
            ? (i) => publishBody(keys[repeat * perRun + i] ?? '', 1000 + repeat * perRun + i, 1935)
            : (i) => publishBody(unknownKey(i), 100_000 + i, 1935),
      });
      const statuses: Record<string, number> = {};
      for (const r of load.results) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
      const run: CallbackRun = {
        kind,
        repeat,
        requests: load.results.length + load.failures,
        achievedRatePerSecond: load.achievedRatePerSecond,
        latency: distribution(load.results.map((r) => r.latencyMs)),
        service: distribution(load.results.map((r) => r.serviceMs)),
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
