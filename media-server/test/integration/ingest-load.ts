// CPU and memory of the real server process under N simultaneous publishers, each with one LL-HLS
// viewer (a measurement to run by hand, not a test). Publishers are `ffmpeg -re -stream_loop -1
// -c copy` of one FLV file, so they cost almost nothing themselves; the server is the COMPILED build
// (bin/onair-media-server.js over dist/, run `npm run build -w @onair/media-server` first) unless
// LOAD_TSX=1 asks for src/main.ts through tsx (tsx's transform costs CPU of its own, so never compare
// a tsx number with a compiled one).
//   node --import tsx media-server/test/integration/ingest-load.ts FILE.flv [publishers=20] [seconds=20] [viewers=1]
// Env: LOAD_SERVER_LOG=FILE keeps the server's output (e.g. with LOAD_NODE_ARGS=--trace-gc);
// LOAD_SERVER_ARGS="--hls-window 4" adds server flags; LOAD_BIN=path/to/onair-media-server.js (another build, for before/after), LOAD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes flags to the server's node.
// Prints the server's CPU share of one core (from /proc/PID/stat utime+stime over the window), split
// into its main (JavaScript) thread and all other threads (V8's garbage-collector workers, libuv's
// pool) from /proc/PID/task/*/stat, its RSS (median of 500 ms samples over the window), plus the
// longest wait any viewer had for new media.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';
import { launchFromShebang } from '../../../scripts/lib/media-server-node-flags.mjs';
import { startProcess, type ManagedProcess } from '../helpers/process.js';
import { mainPath } from '../helpers/media-server.js';

const [file, publishersArg = '20', secondsArg = '20', viewersArg = '1'] = process.argv.slice(2);
if (!file) throw new Error('usage: ingest-load.ts FILE.flv [publishers] [seconds] [viewers per stream]');
const publishers = Number(publishersArg);
const seconds = Number(secondsArg);
const viewersPerStream = Number(viewersArg);
const ticksPerSecond = 100; // USER_HZ on Linux x86-64
const binPath = process.env.LOAD_BIN ?? fileURLToPath(new URL('../../bin/onair-media-server.js', import.meta.url));

function cpuTicks(pid: number, task?: number): number {
  const fields = readFileSync(task === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15 of stat)
}

/** utime + stime of each thread of the process (task id -> ticks). */
function threadTicks(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ticks.set(Number(task), cpuTicks(pid, Number(task)));
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A player at the live edge: blocking reload for the next part, fetches init once and every new part. */
class Viewer {
  stopped = false;
  maxGapMs = 0;
  errors = 0;
  private lastNew = performance.now();
  private readonly seen = new Set<string>();
  constructor(private readonly playlistUrl: string) {}

  markWindow(): void {
    this.lastNew = performance.now();
    this.maxGapMs = 0;
  }

  async run(): Promise<void> {
    let query = '';
    while (!this.stopped) {
      try {
        const res = await fetch(this.playlistUrl + query, { signal: AbortSignal.timeout(10_000) });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        query = await this.consume(text);
      } catch {
        this.errors += 1;
        await sleep(200);
      }
    }
  }

  /** Fetches what is new; returns the blocking-reload query for the part after the last one listed. */
  private async consume(text: string): Promise<string> {
    const lines = text.split('\n');
    const uris: string[] = [];
    let msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
    let part = 0;
    for (const line of lines) {
      const map = /^#EXT-X-MAP:URI="([^"]+)"/.exec(line);
      if (map?.[1]) uris.push(map[1]);
      const p = /^#EXT-X-PART:.*URI="([^"]+)"/.exec(line);
      if (p?.[1]) {
        uris.push(p[1]);
        part += 1;
      }
      if (line.startsWith('#EXTINF')) {
        msn += 1;
        part = 0;
      }
    }
    const fresh = uris.filter((u) => !this.seen.has(u));
    const first = this.seen.size === 0;
    for (const u of fresh) this.seen.add(u);
    if (fresh.length > 0) {
      const now = performance.now();
      this.maxGapMs = Math.max(this.maxGapMs, now - this.lastNew);
      this.lastNew = now;
    }
    // At the first load a player starts at the live edge: the init section and the newest part only.
    const toFetch = first ? [...fresh.filter((u) => u.includes('init-')), ...fresh.slice(-1)] : fresh;
    for (const u of toFetch) {
      const res = await fetch(new URL(u, this.playlistUrl), { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) this.errors += 1;
    }
    return `?_HLS_msn=${msn}&_HLS_part=${part}`;
  }
}

const rtmpPort = await freePort();
const httpPort = await freePort();
// The bin's shebang flags and environment first (what `onair-media-server` runs with), then any of LOAD_NODE_ARGS.
const shebang = launchFromShebang(readFileSync(binPath, 'utf8'));
const nodeArgs = [...shebang.nodeFlags, ...(process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean)];
// Every publisher and viewer is this script on 127.0.0.1: the per-address caps go well above its use.
const loopbackLimits = ['--rtmp-max-connections-per-address', '1000', '--http-max-connections-per-address', '20000', '--hls-max-held-per-address', '20000', '--hls-max-held-per-stream', '20000'];
const serverArgs = (process.env.LOAD_SERVER_ARGS ?? '').split(' ').filter(Boolean);
const entry = process.env.LOAD_TSX === '1' ? ['--import', 'tsx', mainPath] : [binPath];
const apiToken = 'ingest-load-token';
const server = startProcess(process.execPath, [...nodeArgs, ...entry, '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), ...loopbackLimits, ...serverArgs], {
  env: { ...process.env, ...shebang.env, MEDIA_SERVER_API_TOKEN: apiToken },
});
await server.waitForOutput(/media server listening/, 20_000);
const pid = server.pid;
const idleRss = rssMb(pid);
const clients: ManagedProcess[] = [];
const viewers: Viewer[] = [];
try {
  for (let i = 0; i < publishers; i++) {
    clients.push(
      startProcess('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', file, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${rtmpPort}/live/load${i}`]),
    );
  }
  await sleep(3000);
  for (let i = 0; i < publishers; i++) {
    for (let v = 0; v < viewersPerStream; v++) {
      const viewer = new Viewer(`http://127.0.0.1:${httpPort}/live/load${i}/media.m3u8`);
      viewers.push(viewer);
      void viewer.run();
    }
  }
  await sleep(16_000); // longer than 7 segments x 2 s, so every in-memory HLS window is full
  const live = ((await (await fetch(`http://127.0.0.1:${httpPort}/api/streams`, { headers: { authorization: `Bearer ${apiToken}` } })).json()) as { streams: Array<{ measuredBitrateKbps: number | null }> }).streams;
  for (const viewer of viewers) viewer.markWindow();
  const t0 = cpuTicks(pid);
  const threads0 = threadTicks(pid);
  const start = Date.now();
  const rssSamples: number[] = [];
  while (Date.now() - start < seconds * 1000) {
    await sleep(500);
    rssSamples.push(rssMb(pid));
  }
  const elapsedSeconds = (Date.now() - start) / 1000;
  const cpu = (cpuTicks(pid) - t0) / ticksPerSecond / elapsedSeconds;
  let mainTicks = 0;
  let otherTicks = 0;
  for (const [task, ticks] of threadTicks(pid)) {
    const used = ticks - (threads0.get(task) ?? 0);
    if (task === pid) mainTicks += used;
    else otherTicks += used;
  }
  const share = (ticks: number) => ((ticks / ticksPerSecond / elapsedSeconds) * 100).toFixed(1);
  const rss = median(rssSamples);
  const kbps = live.reduce((n, s) => n + (s.measuredBitrateKbps ?? 0), 0);
  const worstGap = Math.max(0, ...viewers.map((v) => v.maxGapMs));
  const errors = viewers.reduce((n, v) => n + v.errors, 0);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `${publishers} publishers (${live.length} live, ${(kbps / 1000).toFixed(1)} Mbit/s total, ${viewers.length} viewers): server CPU ${(cpu * 100).toFixed(1)} % of one core ` +
      `(${((cpu * 100) / Math.max(1, live.length)).toFixed(2)} % per stream; main thread ${share(mainTicks)} %, other threads ${share(otherTicks)} %), RSS ${rss.toFixed(0)} MB (idle ${idleRss.toFixed(0)} MB, ` +
      `${((rss - idleRss) / Math.max(1, live.length)).toFixed(1)} MB per stream); worst viewer gap ${worstGap.toFixed(0)} ms, ${errors} viewer errors; load ${load}`,
  );
} finally {
  for (const viewer of viewers) viewer.stopped = true;
  await Promise.all(clients.map((c) => c.stop()));
  await server.stop(10_000);
  if (process.env.LOAD_SERVER_LOG) writeFileSync(process.env.LOAD_SERVER_LOG, server.output());
}
