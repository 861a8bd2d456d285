// Phase "glass": capture-to-display latency in Chromium with video.js (the app's player options).
// One barcode publisher -> server -> page (through the same-origin proxy) -> decoded frames.
import { execFileSync } from 'node:child_process';
import { CHROMIUM_PATH, launchBrowser, type LaunchedBrowser } from '../../../test/helpers/browser.js';
import type { ServerKind } from '../config.js';
import { startBarcodePublisher } from '../glass/barcode-publisher.js';
import { startPageServer } from '../glass/page-server.js';
import type { ServerOptions, ServerUnderTest } from '../server.js';
import { type ServerFactory } from '../servers.js';
import { median, percentile } from '../stats.js';
import { httpGet } from '../http-get.js';
import { epochNow, pollUntil, sleep, withTimeout } from '../time.js';

export interface GlassConfig {
  label: string;
  gopFrames: number;
  /** From publish start; the player needs time to start and settle. */
  warmupMs: number;
  windowMs: number;
}

export interface GlassRun {
  label: string;
  server: string;
  repeat: number;
  samples: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  /** Frames whose barcode failed its check (excluded). */
  undecodable: number;
  /** video.js 'waiting' events during the whole run (rebuffering). */
  waiting: number;
  playerErrors: string[];
}

interface PageState {
  samples: Array<{ latencyMs: number; displayedAt: number }>;
  events: { waiting: number; undecodable: number; errors: string[] };
}

export async function runGlass(repoRoot: string, browser: LaunchedBrowser, server: ServerUnderTest, config: GlassConfig, repeat: number): Promise<GlassRun> {
  const key = `glass${repeat}`;
  const publisher = startBarcodePublisher(server.rtmpUrl(key), config.gopFrames);
  const playlist = server.playlistUrl(key);
  const pages = await startPageServer(repoRoot, new URL(playlist).origin);
  const page = await browser.context.newPage();
  try {
    // The page is opened once the playlist exists (a player given a 404 gives up; the app's player retries instead).
    await pollUntil(async () => ((await httpGet(playlist, 2_000).catch(() => undefined))?.status === 200 ? true : undefined), 20_000, 100, 'first playlist');
    await page.goto(pages.pageUrlFor(playlist));
    await sleep(config.warmupMs);
    const windowStart = epochNow();
    await sleep(config.windowMs);
    const state = await page.evaluate(() => (window as unknown as { __bench: PageState }).__bench);
    const latencies = state.samples.filter((s) => s.displayedAt >= windowStart).map((s) => s.latencyMs);
    return {
      label: config.label,
      server: server.name,
      repeat,
      samples: latencies.length,
      medianMs: median(latencies),
      p10Ms: percentile(latencies, 10),
      p90Ms: percentile(latencies, 90),
      undecodable: state.events.undecodable,
      waiting: state.events.waiting,
      playerErrors: state.events.errors.slice(0, 5),
    };
  } finally {
    await page.close();
    await pages.close();
    await publisher.stop();
  }
}

export interface GlassSetup {
  label: string;
  kind: ServerKind;
  options: ServerOptions;
  gopFrames: number;
}

export const glassSetups: readonly GlassSetup[] = [
  { label: 'OnAir LL-HLS: 200 ms parts, 2 s segments, 1 s GOP', kind: 'onair', options: { segmentMs: 2_000, partMs: 200, window: 7 }, gopFrames: 30 },
  { label: 'nginx-rtmp: 2 s fragments, 2 s GOP', kind: 'nginx-rtmp', options: { segmentMs: 2_000, partMs: 200, window: 7 }, gopFrames: 60 },
  { label: 'nginx-rtmp: 1 s fragments, 1 s GOP', kind: 'nginx-rtmp', options: { segmentMs: 1_000, partMs: 200, window: 7 }, gopFrames: 30 },
];

export interface GlassPhaseResult {
  measuredAt: string;
  config: { repeats: number; warmupMs: number; windowMs: number };
  chromium: string;
  runs: GlassRun[];
  errors: string[];
}

export async function runGlassPhase(
  repoRoot: string,
  factory: ServerFactory,
  servers: readonly ServerKind[],
  phase: { repeats: number; warmupMs: number; windowMs: number },
  log: (line: string) => void,
): Promise<GlassPhaseResult> {
  const result: GlassPhaseResult = { measuredAt: new Date().toISOString(), config: phase, chromium: chromiumVersion(), runs: [], errors: [] };
  const browser = await launchBrowser();
  try {
    for (let repeat = 0; repeat < phase.repeats; repeat++) {
      for (const setup of glassSetups.filter((s) => servers.includes(s.kind))) {
        const what = `glass ${setup.label} repeat ${repeat + 1}/${phase.repeats}`;
        try {
          const server = await factory.start(setup.kind, setup.options);
          try {
            const config: GlassConfig = { label: setup.label, gopFrames: setup.gopFrames, warmupMs: phase.warmupMs, windowMs: phase.windowMs };
            const run = await withTimeout(runGlass(repoRoot, browser, server, config, repeat), phase.warmupMs + phase.windowMs + 60_000, what);
            result.runs.push(run);
            log(`${what}: median ${run.medianMs.toFixed(0)} ms over ${run.samples} frames, waiting ${run.waiting}`);
          } finally {
            await server.stop();
          }
        } catch (error) {
          result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
          log(`${what}: FAILED ${String(error).slice(0, 300)}`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  return result;
}

function chromiumVersion(): string {
  return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
}
