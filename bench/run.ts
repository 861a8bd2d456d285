// `npm run bench`: OnAir's media server and web app measured side by side with Debian's
// nginx-rtmp on this machine, in one run; writes bench/RESULTS.md (see bench/README.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killTracked } from './lib/cleanup.js';
import { parseBenchArgs, usage, type BenchConfig } from './lib/config.js';
import { ensureInput } from './lib/input.js';
import { gitState, machineInfo } from './lib/machine.js';
import { nginxVersions } from './lib/nginx-rtmp.js';
import { buildOnAir, type OnAirBuild } from './lib/onair.js';
import { runCallbacks } from './lib/phases/callbacks.js';
import { runChatPhase } from './lib/phases/chat.js';
import { runFanoutPhase } from './lib/phases/fanout.js';
import { runGlassPhase } from './lib/phases/glass.js';
import { runHostilePhase } from './lib/phases/hostile.js';
import { runListingPhase } from './lib/phases/listing.js';
import { runLoadPhase } from './lib/phases/load.js';
import { runRecordingPhase } from './lib/phases/recording.js';
import { runRtmpFanoutPhase } from './lib/phases/rtmp-fanout.js';
import { renderResults } from './lib/report.js';
import type { BenchResults, PhaseFailure, Versions } from './lib/results.js';
import { serverFactory } from './lib/servers.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(repoRoot, 'bench', 'out');
const cacheDir = join(repoRoot, 'bench', '.cache');
const resultsJson = join(outDir, 'results.json');

const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

async function phase<T>(name: string, run: () => Promise<T>): Promise<T | PhaseFailure> {
  // The previous phase's files (recordings: GBs) may still be in the page cache waiting for
  // writeback; flushed during this phase they would slow its fsyncs (the SQLite commits of the
  // callbacks phase) and its disk reads. `sync` returns once the kernel has written them.
  const syncStart = performance.now();
  execFileSync('sync');
  log(`phase ${name}: start (disk flushed in ${Math.round(performance.now() - syncStart)} ms)`);
  try {
    const result = await run();
    log(`phase ${name}: done`);
    return result;
  } catch (error) {
    log(`phase ${name}: FAILED ${String(error)}`);
    return { measuredAt: new Date().toISOString(), error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

function previousResults(): Partial<BenchResults> {
  if (!existsSync(resultsJson)) return {};
  return JSON.parse(readFileSync(resultsJson, 'utf8')) as Partial<BenchResults>;
}

async function main(config: BenchConfig, argv: string[]): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  log('measuring background load (5 s)');
  const machine = await machineInfo();

  let build: OnAirBuild | Error = new Error('not requested (--servers)');
  if (config.servers.includes('onair')) {
    try {
      log('building OnAir media server');
      build = buildOnAir(repoRoot, join(outDir, 'media-server'));
      if (config.onairNodeFlags !== undefined) build = { ...build, nodeFlags: config.onairNodeFlags, version: `${build.version}; Node flags from --onair-node-flags, not the bin's` };
    } catch (error) {
      const stdout = error && typeof error === 'object' && 'stdout' in error ? String(error.stdout).slice(0, 1500) : '';
      build = new Error(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} ${stdout}`.trim());
      log(`OnAir unavailable: ${build.message}`);
    }
  }
  const factory = serverFactory(build);
  const versions: Versions = {
    onair: build instanceof Error ? 'unavailable' : build.version,
    onairNodeFlags: build instanceof Error ? [] : build.nodeFlags,
    onairNodeEnv: build instanceof Error ? {} : build.nodeEnv,
    nginx: nginxVersions(),
    node: process.version,
    ffmpeg: machine.ffmpeg,
    videojs: packageVersion('video.js'),
    next: `${packageVersion('next')} (app: ${gitState(repoRoot, ['app', 'lib', 'prisma'])})`,
  };
  const inputFor = (gopSeconds: number) => ensureInput(cacheDir, { gopSeconds, durationSeconds: config.inputSeconds });

  const previous = config.merge ? previousResults() : {};
  const results: BenchResults = { ...previous } as BenchResults;
  // Which OnAir build each phase measured: kept phases keep the build of the run that measured them.
  const onairPerPhase: Record<string, string> = {};
  for (const name of ['load', 'listing', 'glass', 'callbacks', 'hostile', 'fanout', 'rtmp-fanout', 'recording', 'chat'] as const) {
    if (config.phases.includes(name)) onairPerPhase[name] = versions.onair;
    else if (previous[name === 'rtmp-fanout' ? 'rtmpFanout' : name] !== undefined) onairPerPhase[name] = previous.onairPerPhase?.[name] ?? previous.versions?.onair ?? 'unknown';
  }
  Object.assign(results, { startedAt, argv, config, machine, versions, onairPerPhase });
  if (factory.onairUnavailable !== undefined && config.servers.includes('onair')) results.onairUnavailable = factory.onairUnavailable;
  else delete results.onairUnavailable;

  // Written after every phase, so an interrupted run still leaves what it measured.
  const write = (finished: boolean) => {
    results.finishedAt = finished ? new Date().toISOString() : `(in progress, last write ${new Date().toISOString()})`;
    results.loadAverageAtEnd = loadavg();
    writeFileSync(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(repoRoot, 'bench', 'RESULTS.md'), renderResults(results));
  };

  if (config.phases.includes('load')) {
    const input = await inputFor(2);
    results.load = await phase('load', () => runLoadPhase(factory, config.servers, config.load, input, log));
    write(false);
  }
  if (config.phases.includes('listing')) {
    results.listing = await phase('listing', () => runListingPhase(factory, config.servers, config.listing, inputFor, log));
    write(false);
  }
  if (config.phases.includes('glass')) {
    results.glass = await phase('glass', () => runGlassPhase(repoRoot, factory, config.servers, config.glass, log));
    write(false);
  }
  if (config.phases.includes('hostile')) {
    const input = await inputFor(2);
    results.hostile = await phase('hostile', () => runHostilePhase(factory, config.servers, config.hostile, input, log));
    write(false);
  }
  if (config.phases.includes('fanout')) {
    const input = await inputFor(2);
    results.fanout = await phase('fanout', () => runFanoutPhase(factory, config.servers, config.fanout, input, log));
    write(false);
  }
  if (config.phases.includes('rtmp-fanout')) {
    const input = await inputFor(2);
    results.rtmpFanout = await phase('rtmp-fanout', () => runRtmpFanoutPhase(factory, config.servers, config.rtmpFanout, input, log));
    write(false);
  }
  if (config.phases.includes('recording')) {
    if (config.servers.includes('onair')) {
      const input = await inputFor(2);
      results.recording = await phase('recording', () => runRecordingPhase(factory, config.recording, input, config.inputSeconds, repoRoot, log));
      write(false);
    } else {
      log('phase recording: skipped (OnAir only, and --servers excludes it)');
    }
  }
  if (config.phases.includes('chat')) {
    results.chat = await phase('chat', () => runChatPhase(config.chat, log));
    write(false);
  }
  if (config.phases.includes('callbacks')) {
    results.callbacks = await phase('callbacks', async () => ({
      measuredAt: new Date().toISOString(),
      config: config.callbacks,
      ...(await runCallbacks(config.callbacks)),
    }));
  }
  write(true);
  log(`wrote bench/RESULTS.md and ${resultsJson}`);
}

// Whatever happens, the processes this run started are killed by PID before it exits.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killTracked();
    process.exit(130);
  });
}
const argv = process.argv.slice(2);
const parsed = argv.includes('--render') ? 'render' : parseBenchArgs(argv);
if (parsed === 'help') {
  process.stdout.write(usage);
} else if (parsed === 'render') {
  // Re-renders RESULTS.md from the last results.json (after a change to the report code); measures nothing.
  writeFileSync(join(repoRoot, 'bench', 'RESULTS.md'), renderResults(previousResults() as BenchResults));
  log('re-rendered bench/RESULTS.md from bench/out/results.json');
} else {
  main(parsed, argv).then(
    () => {
      killTracked();
      // Keep-alive sockets and the Prisma client's timers would keep the process alive.
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      killTracked();
      process.exit(1);
    },
  );
}
