// What one `npm run bench` does, and the smaller profile used while developing (--quick).
import { parseArgs } from 'node:util';

export type Phase = 'load' | 'listing' | 'glass' | 'callbacks' | 'hostile' | 'fanout' | 'rtmp-fanout' | 'recording' | 'chat';
export type ServerKind = 'onair' | 'nginx-rtmp';
export const allPhases: readonly Phase[] = ['load', 'listing', 'glass', 'callbacks', 'hostile', 'fanout', 'rtmp-fanout', 'recording', 'chat'];

export interface BenchConfig {
  phases: Phase[];
  servers: ServerKind[];
  /** Keep the other phases' results from the previous run in RESULTS.md (each section is dated). */
  merge: boolean;
  inputSeconds: number;
  load: { counts: number[]; repeats: number; warmupMs: number; windowMs: number };
  listing: { repeats: number; durationMs: number; pollMs: number };
  glass: { repeats: number; warmupMs: number; windowMs: number };
  callbacks: { ratePerSecond: number; durationMs: number; repeats: number };
  hostile: { warmupMs: number; baselineMs: number; attackMs: number; afterMs: number; sampleMs: number; attacks?: string[] };
  /** Replaces the Node flags of the media server's bin shebang (trying a flag before committing it). */
  onairNodeFlags?: string[];
  fanout: { counts: number[]; warmupMs: number; windowMs: number };
  rtmpFanout: { counts: number[]; warmupMs: number; windowMs: number };
  /** OnAir with recording off vs on (issue #15); the window is a whole number of 2 s segments (disk writes come per segment). */
  recording: { counts: number[]; repeats: number; warmupMs: number; windowMs: number; glassOffRuns: number; glassWarmupMs: number; glassWindowMs: number };
  /** One channel's chat (issue #16): N readers, signed-in senders at a total rate; the web app only. */
  chat: { readers: number[]; senders: number; ratePerSecond: number; joinTimeoutMs: number; warmupMs: number; windowMs: number; graceMs: number };
}

export const fullProfile: BenchConfig = {
  phases: [...allPhases],
  servers: ['nginx-rtmp', 'onair'],
  merge: false,
  inputSeconds: 120,
  // Warm-up > 7 segments x 2 s (the load phase's window), so OnAir's HLS window is full (and its in-memory part steady) before RSS is sampled.
  load: { counts: [1, 10, 25, 50], repeats: 3, warmupMs: 16_000, windowMs: 12_000 },
  listing: { repeats: 3, durationMs: 15_000, pollMs: 10 },
  glass: { repeats: 2, warmupMs: 12_000, windowMs: 15_000 },
  callbacks: { ratePerSecond: 200, durationMs: 10_000, repeats: 2 },
  // Warm-up longer than the window (7 x 2 s), so the baseline RSS is taken with the HLS window full
  // (and the oldest listed segment served from its file by OnAir), not while it still grows.
  // 40 s: past OnAir's first full GC (see README, section 5), so the baseline is its steady state.
  hostile: { warmupMs: 40_000, baselineMs: 2_000, attackMs: 15_000, afterMs: 5_000, sampleMs: 200 },
  fanout: { counts: [100, 500, 1000], warmupMs: 15_000, windowMs: 15_000 },
  rtmpFanout: { counts: [50, 200, 500], warmupMs: 10_000, windowMs: 15_000 },
  recording: { counts: [10, 50], repeats: 3, warmupMs: 16_000, windowMs: 12_000, glassOffRuns: 2, glassWarmupMs: 12_000, glassWindowMs: 15_000 },
  chat: { readers: [1000], senders: 20, ratePerSecond: 10, joinTimeoutMs: 60_000, warmupMs: 10_000, windowMs: 20_000, graceMs: 10_000 },
};

export const quickProfile: BenchConfig = {
  ...fullProfile,
  load: { counts: [1, 2], repeats: 1, warmupMs: 6_000, windowMs: 8_000 },
  listing: { repeats: 1, durationMs: 10_000, pollMs: 10 },
  glass: { repeats: 1, warmupMs: 10_000, windowMs: 8_000 },
  callbacks: { ratePerSecond: 200, durationMs: 3_000, repeats: 1 },
  hostile: { warmupMs: 9_000, baselineMs: 1_000, attackMs: 7_000, afterMs: 5_000, sampleMs: 200 },
  fanout: { counts: [20, 100], warmupMs: 9_000, windowMs: 8_000 },
  rtmpFanout: { counts: [5, 20], warmupMs: 6_000, windowMs: 6_000 },
  recording: { counts: [2], repeats: 1, warmupMs: 6_000, windowMs: 8_000, glassOffRuns: 2, glassWarmupMs: 10_000, glassWindowMs: 8_000 },
  chat: { readers: [100], senders: 20, ratePerSecond: 10, joinTimeoutMs: 60_000, warmupMs: 6_000, windowMs: 8_000, graceMs: 5_000 },
};

export const usage = `npm run bench [-- options]
  --quick             small counts and short windows (for development; not for RESULTS.md)
  --phases a,b        subset of ${allPhases.join(',')}
  --servers a,b       subset of nginx-rtmp,onair
  --counts 1,10       publisher counts for the load phase
  --viewers 100,500   viewer counts for the fanout phase
  --rtmp-players 5,20 player counts for the rtmp-fanout phase (default 50,200,500; BENCH_RTMP_PLAYERS too)
  --record-counts 2,10  publisher counts for the recording phase (default 10,50)
  --chat-readers 100,1000  chat reader counts for the chat phase (default 1000; at most 1000, VIEWERS_PER_ADDRESS's limit)
  --repeats N         repeats of the load and recording phases
  --attacks a,b       subset of the hostile phase's attacks (development; a partial hostile table)
  --onair-node-flags="--a --b=1"  run the OnAir media server with these Node flags instead of its bin's (with '=':
                      a value starting with '-' is refused otherwise); the bin's environment still applies
  --merge             keep other phases' previous results in RESULTS.md
  --render            only re-render RESULTS.md from bench/out/results.json
`;

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`unknown ${what} '${item}' (expected ${allowed.join(', ')})`);
  return items as T[];
}

export function parseBenchArgs(argv: string[]): BenchConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      phases: { type: 'string' },
      servers: { type: 'string' },
      counts: { type: 'string' },
      repeats: { type: 'string' },
      viewers: { type: 'string' },
      attacks: { type: 'string' },
      'onair-node-flags': { type: 'string' },
      'rtmp-players': { type: 'string' },
      'record-counts': { type: 'string' },
      'chat-readers': { type: 'string' },
      merge: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const base = values.quick ? quickProfile : fullProfile;
  const config: BenchConfig = { ...base, load: { ...base.load }, fanout: { ...base.fanout }, hostile: { ...base.hostile }, rtmpFanout: { ...base.rtmpFanout }, recording: { ...base.recording }, chat: { ...base.chat } };
  config.phases = list(values.phases, allPhases, 'phase') ?? config.phases;
  config.servers = list(values.servers, ['nginx-rtmp', 'onair'] as const, 'server') ?? config.servers;
  config.merge = values.merge ?? false;
  if (values.attacks !== undefined) config.hostile.attacks = values.attacks.split(',').map((item) => item.trim());
  if (values['onair-node-flags'] !== undefined) {
    const flags = values['onair-node-flags'].split(/\s+/).filter((flag) => flag !== '');
    if (flags.some((flag) => !/^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/.test(flag))) throw new Error(`--onair-node-flags: only --flag or --flag=value, got ${values['onair-node-flags']}`);
    config.onairNodeFlags = flags;
  }
  if (values.counts !== undefined) {
    const counts = values.counts.split(',').map(Number);
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 200)) throw new Error(`--counts: integers 1..200, got ${values.counts}`);
    config.load.counts = counts;
  }
  if (values.viewers !== undefined) {
    const counts = values.viewers.split(',').map(Number);
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 5000)) throw new Error(`--viewers: integers 1..5000, got ${values.viewers}`);
    config.fanout.counts = counts;
  }
  const rtmpPlayers = values['rtmp-players'] ?? process.env.BENCH_RTMP_PLAYERS;
  if (rtmpPlayers !== undefined && rtmpPlayers !== '') {
    const counts = rtmpPlayers.split(',').map(Number);
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 2000)) throw new Error(`--rtmp-players: integers 1..2000, got ${rtmpPlayers}`);
    config.rtmpFanout.counts = counts;
  }
  if (values['record-counts'] !== undefined) {
    const counts = values['record-counts'].split(',').map(Number);
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 200)) throw new Error(`--record-counts: integers 1..200, got ${values['record-counts']}`);
    config.recording.counts = counts;
  }
  if (values['chat-readers'] !== undefined) {
    const counts = values['chat-readers'].split(',').map(Number);
    // Every reader comes from 127.0.0.1, and the app counts at most VIEWERS_PER_ADDRESS (<= 1000) streams per address.
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) throw new Error(`--chat-readers: integers 1..1000, got ${values['chat-readers']}`);
    config.chat.readers = counts;
  }
  if (values.repeats !== undefined) {
    const repeats = Number(values.repeats);
    if (!Number.isInteger(repeats) || repeats < 1 || repeats > 10) throw new Error(`--repeats: 1..10, got ${values.repeats}`);
    config.load.repeats = repeats;
    config.recording.repeats = repeats;
  }
  return config;
}
