// Phase "hostile": each attack of lib/attacks.ts against a fresh server (OnAir with its DEFAULT
// limits, nginx-rtmp with the bench's config) carrying one live ffmpeg stream and one HLS viewer,
// both on 127.0.0.1 (the attackers come from their own address). Per case and server: the
// server tree's RSS before (median), during (peak of samples every `sampleMs`) and `afterMs`
// after the attacker left, and the legit viewer's longest wait for new media during the attack.
import { attackCases, attacks, type AttackCase, type AttackOutcome, type AttackTarget } from '../attacks.js';
import type { ServerKind } from '../config.js';
import { HlsViewer } from '../hls-viewer.js';
import { httpGet } from '../http-get.js';
import { firstVariantUrl, isMultivariant, parseMediaPlaylist, type MediaPlaylist } from '../playlist.js';
import { sampleTree } from '../proc-stats.js';
import { startCopyPublishers } from '../publishers.js';
import type { ServerOptions, ServerUnderTest } from '../server.js';
import { serverLabel, type ServerFactory } from '../servers.js';
import { median } from '../stats.js';
import { sleep, withTimeout } from '../time.js';

export interface HostileRun {
  attack: AttackCase;
  server: string;
  /** Median RSS of the server tree over the baseline samples before the attack, bytes. */
  baselineRssBytes: number;
  /** Largest RSS sample during the attack (and until the attacker's sockets were closed). */
  peakRssBytes: number;
  /** RSS `afterMs` after the attacker left. */
  afterRssBytes: number;
  /** The legit viewer's longest wait for new media in its playlist during the attack, ms. */
  worstStallMs: number;
  /** Media added to the legit playlist per ms of attack (1.0 = real time). */
  advanceRatio: number;
  viewerErrors: number;
  firstViewerError?: string;
  publisherExited: boolean;
  /** The server's root process was still running when the case ended. */
  serverAlive: boolean;
  /** Complete segments listed when the attack started (OnAir serves all but its newest 2 from files). */
  segmentsListed: number;
  rssSamples: number;
  attacker: AttackOutcome;
}

export interface HostileConfig {
  warmupMs: number;
  baselineMs: number;
  attackMs: number;
  afterMs: number;
  sampleMs: number;
  /** A subset of the attacks (by case name); all when absent. */
  attacks?: string[];
}

async function mediaPlaylist(url: string): Promise<{ url: string; playlist: MediaPlaylist }> {
  const res = await httpGet(url, 5_000);
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const text = res.body.toString('utf8');
  if (isMultivariant(text)) return mediaPlaylist(firstVariantUrl(text, url));
  return { url, playlist: parseMediaPlaylist(text, url) };
}

/** What the attacker aims at: the legit stream's oldest listed segment and its media playlist. */
async function attackTarget(server: ServerUnderTest, key: string): Promise<{ target: AttackTarget; segmentsListed: number }> {
  const { url, playlist } = await mediaPlaylist(server.playlistUrl(key));
  const oldest = playlist.segments[0];
  if (!oldest) throw new Error(`no complete segment listed yet at ${url}`);
  return {
    target: {
      rtmpPort: Number(new URL(server.rtmpUrl(key)).port),
      httpPort: Number(new URL(url).port),
      segmentPath: new URL(oldest.uri).pathname,
      playlistPath: new URL(url).pathname,
      blockingReload: playlist.canBlockReload,
    },
    segmentsListed: playlist.segments.length,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function runHostileCase(server: ServerUnderTest, attack: AttackCase, input: string, config: HostileConfig): Promise<HostileRun> {
  const key = 'legit';
  const publisher = await startCopyPublishers(input, [server.rtmpUrl(key)], 0);
  const viewer = new HlsViewer(server.playlistUrl(key), { startTimeoutMs: config.warmupMs + 10_000 });
  let viewerStopped = false;
  try {
    viewer.start();
    await sleep(config.warmupMs);
    const { target, segmentsListed } = await attackTarget(server, key);
    const baseline: number[] = [];
    for (let t = 0; t < config.baselineMs; t += config.sampleMs) {
      baseline.push(sampleTree(server.pid).rssBytes);
      await sleep(config.sampleMs);
    }
    let peak = 0;
    let samples = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, sampleTree(server.pid).rssBytes);
      samples += 1;
    }, config.sampleMs);
    viewer.markWindowStart();
    let attacker: AttackOutcome;
    let stats;
    try {
      attacker = await withTimeout(attacks[attack].run(target, { durationMs: config.attackMs }), config.attackMs + 60_000, `attack ${attack}`);
      stats = await viewer.stop();
      viewerStopped = true;
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, sampleTree(server.pid).rssBytes);
    await sleep(config.afterMs);
    const run: HostileRun = {
      attack,
      server: server.name,
      baselineRssBytes: median(baseline),
      peakRssBytes: peak,
      afterRssBytes: sampleTree(server.pid).rssBytes,
      worstStallMs: stats.maxGapMs,
      advanceRatio: stats.advanceRatio,
      viewerErrors: stats.errors,
      publisherExited: publisher.exitedCount() > 0,
      serverAlive: alive(server.pid),
      segmentsListed,
      rssSamples: samples,
      attacker,
    };
    if (stats.firstError !== undefined) run.firstViewerError = stats.firstError;
    return run;
  } finally {
    if (!viewerStopped) await viewer.stop();
    await publisher.stop();
  }
}

export interface HostilePhaseResult {
  measuredAt: string;
  config: HostileConfig & { options: ServerOptions; input: string; cases: AttackCase[] };
  runs: HostileRun[];
  errors: string[];
}

export async function runHostilePhase(
  factory: ServerFactory,
  servers: readonly ServerKind[],
  phase: HostileConfig,
  input: string,
  log: (line: string) => void,
): Promise<HostilePhaseResult> {
  // onairLimitFlags []: OnAir runs with its default limits, which is what the attacks must meet.
  const options: ServerOptions = { segmentMs: 2_000, partMs: 200, window: 7, onairLimitFlags: [] };
  const unknown = phase.attacks?.filter((name) => !(attackCases as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown attack(s) ${unknown.join(', ')} (expected ${attackCases.join(', ')})`);
  const cases = attackCases.filter((name) => phase.attacks === undefined || phase.attacks.includes(name));
  const result: HostilePhaseResult = { measuredAt: new Date().toISOString(), config: { ...phase, options, input, cases }, runs: [], errors: [] };
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  for (const attack of cases) {
    for (const kind of servers) {
      const what = `hostile ${attack} ${serverLabel[kind]}`;
      try {
        const server = await factory.start(kind, options);
        try {
          const run = await withTimeout(runHostileCase(server, attack, input, phase), phase.warmupMs + phase.baselineMs + phase.attackMs + phase.afterMs + 120_000, what);
          result.runs.push(run);
          log(
            `${what}: rss ${mib(run.baselineRssBytes)} -> peak ${mib(run.peakRssBytes)} -> after ${mib(run.afterRssBytes)} MiB, ` +
              `worst stall ${run.worstStallMs.toFixed(0)} ms, attacker ${run.attacker.connections} conns (${run.attacker.closedByServer} closed by server), ${run.attacker.sent} sent`,
          );
        } finally {
          await server.stop();
        }
      } catch (error) {
        result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
        log(`${what}: FAILED ${String(error).slice(0, 300)}`);
      }
    }
  }
  return result;
}
