// CPU and memory of the real server process under N simultaneous publishers (a measurement to run
// by hand, not a test). Publishers are `ffmpeg -re -stream_loop -1 -c copy` of one FLV file, so
// they cost almost nothing themselves; the server is src/main.ts (ingest + stats + HLS packaging).
//   node --import tsx media-server/test/integration/ingest-load.ts FILE.flv [publishers=20] [seconds=20]
// Prints the server's CPU share of one core (from /proc/PID/stat utime+stime) and its RSS.
import { readFileSync } from 'node:fs';
import { startMediaServerProcess } from '../helpers/media-server.js';
import { startProcess, type ManagedProcess } from '../helpers/process.js';

const [file, publishersArg = '20', secondsArg = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: ingest-load.ts FILE.flv [publishers] [seconds]');
const publishers = Number(publishersArg);
const seconds = Number(secondsArg);
const ticksPerSecond = 100; // USER_HZ on Linux x86-64

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15 of stat)
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

const server = await startMediaServerProcess();
const idleRss = rssMb(server.process.pid);
const clients: ManagedProcess[] = [];
try {
  for (let i = 0; i < publishers; i++) {
    clients.push(
      startProcess('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', file, '-c', 'copy', '-f', 'flv', server.rtmpUrl(`load${i}`)]),
    );
  }
  await new Promise((r) => setTimeout(r, 5000)); // let every publish start and warm up
  const live = ((await (await fetch(server.httpUrl('/api/streams'))).json()) as { streams: Array<{ measuredBitrateKbps: number | null }> }).streams;
  const t0 = cpuTicks(server.process.pid);
  const start = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = (cpuTicks(server.process.pid) - t0) / ticksPerSecond / ((Date.now() - start) / 1000);
  const rss = rssMb(server.process.pid);
  const kbps = live.reduce((n, s) => n + (s.measuredBitrateKbps ?? 0), 0);
  console.log(
    `${publishers} publishers (${live.length} live, ${(kbps / 1000).toFixed(1)} Mbit/s total): server CPU ${(cpu * 100).toFixed(1)} % of one core ` +
      `(${((cpu * 100) / Math.max(1, live.length)).toFixed(2)} % per stream), RSS ${rss.toFixed(0)} MB (idle ${idleRss.toFixed(0)} MB, ` +
      `${((rss - idleRss) / Math.max(1, live.length)).toFixed(1)} MB per stream)`,
  );
} finally {
  await Promise.all(clients.map((c) => c.stop()));
  await server.stop();
}
