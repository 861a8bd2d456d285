// CPU the server spends per HTTP request when requests arrive spread out, as LL-HLS viewers send
// them (a measurement to run by hand, not a test). One ffmpeg publisher keeps a stream live; the
// server's CPU (from /proc/PID/stat) is measured over an idle phase, then while keep-alive clients
// send `rate` requests a second in total, and the idle share is subtracted.
//   node --import tsx media-server/test/integration/request-cost.ts FILE.flv [rate=100] [seconds=3]
// Targets, each its own phase: /healthz (the HTTP stack and nothing else), the newest listed part
// and the newest segment (both in memory), and the oldest listed segment (served from its file). The server is the
// COMPILED build (npm run build -w @onair/media-server); LOAD_BIN as in ingest-load.ts.
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { launchFromShebang } from '../../../scripts/lib/media-server-node-flags.mjs';
import { freePort } from '../helpers/ports.js';
import { startProcess } from '../helpers/process.js';

const [file, rateArg = '100', secondsArg = '3'] = process.argv.slice(2);
if (!file) throw new Error('usage: request-cost.ts FILE.flv [rate] [seconds]');
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const connections = 10;
const binPath = process.env.LOAD_BIN ?? fileURLToPath(new URL('../../bin/onair-media-server.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, USER_HZ = 100
}

const agent = new Agent({ keepAlive: true });
/** Media bodies are read and dropped; a playlist body (`keepBody`) is kept, up to 1 MB. */
function fetchStatus(url: string, keepBody = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        if (keepBody && body.length < 1_000_000) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** `rate` requests a second over `connections` keep-alive connections for `seconds`; returns [ok, failed]. */
async function load(url: () => string): Promise<[number, number]> {
  let ok = 0;
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  const loop = async () => {
    while (Date.now() < end) {
      const { status } = await fetchStatus(url());
      if (status === 200) ok++;
      else failed++;
      await sleep((1000 * connections) / rate);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return [ok, failed];
}

const rtmpPort = await freePort();
const httpPort = await freePort();
// With the bin's shebang flags, as `onair-media-server` runs.
const shebang = launchFromShebang(readFileSync(binPath, 'utf8'));
const server = startProcess(process.execPath, [...shebang.nodeFlags, binPath, '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort)], { env: { ...process.env, ...shebang.env } });
await server.waitForOutput(/media server listening/, 20_000);
const publisher = startProcess('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', file, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${rtmpPort}/live/cost`]);
const base = `http://127.0.0.1:${httpPort}/live/cost/`;
let playlist = '';
const refresh = async () => {
  playlist = (await fetchStatus(`${base}media.m3u8`, true)).body;
};
try {
  await sleep(20_000); // a full 7-segment window, so the oldest listed segments have left memory
  await refresh();
  const newestPart = () => base + ([...playlist.matchAll(/URI="([^"]+part-\d+\.m4s)"/g)].pop()?.[1] ?? '');
  // The first EXTINF's segment is the oldest listed one; its parts are byte ranges of its file.
  const coldSegment = () => base + (/#EXTINF:[^\n]*\n([^\n]+)/.exec(playlist)?.[1] ?? '');
  const newestSegment = () => base + ([...playlist.matchAll(/#EXTINF:[^\n]*\n([^\n]+)/g)].pop()?.[1] ?? '');
  const phases: Array<[string, (() => string) | undefined]> = [
    ['idle', undefined],
    ['/healthz', () => `http://127.0.0.1:${httpPort}/healthz`],
    ['newest part (memory)', newestPart],
    ['newest segment (memory)', newestSegment],
    ['oldest listed segment (file)', coldSegment],
  ];
  let idleMsPerSecond = 0;
  for (const [name, url] of phases) {
    // Re-read the playlist every 200 ms so "newest" stays newest (not counted: same in every phase).
    const poll = setInterval(() => void refresh(), 200);
    const before = cpuMs(server.pid);
    const started = Date.now();
    const [ok, failed] = url ? await load(url) : (await sleep(seconds * 1000), [0, 0]);
    const spent = cpuMs(server.pid) - before;
    const elapsed = (Date.now() - started) / 1000;
    clearInterval(poll);
    if (!url) {
      idleMsPerSecond = spent / elapsed;
      console.log(`idle (publishing, playlist polled 5/s): ${(idleMsPerSecond / 10).toFixed(2)} % of one core`);
      continue;
    }
    const perRequestUs = ((spent - idleMsPerSecond * elapsed) / Math.max(1, ok + failed)) * 1000;
    console.log(`${name}: ${ok} ok, ${failed} failed at ~${rate}/s: ${perRequestUs.toFixed(0)} µs of server CPU per request (10 ms tick resolution)`);
  }
} finally {
  await publisher.stop();
  await server.stop(10_000);
}
