// CPU and memory of a server's whole process tree, read from /proc (Linux only).
// CPU: utime + stime (fields 14 and 15 of /proc/PID/stat, in clock ticks) summed over the tree,
// as a delta over wall-clock time, in percent of one core. Memory: VmRSS from /proc/PID/status,
// summed over the tree (shared pages are counted once per process, as `ps` would).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcInfo {
  pid: number;
  ppid: number;
  cpuTicks: number;
}

function readProc(pid: number): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // the process exited between listing and reading
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return { pid, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

function readRssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The root PID and all of its descendants that are alive right now. */
export function processTree(rootPid: number): ProcInfo[] {
  const all = new Map<number, ProcInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info) all.set(info.pid, info);
  }
  const root = all.get(rootPid);
  if (!root) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i];
    for (const info of all.values()) if (parent && info.ppid === parent.pid) tree.push(info);
  }
  return tree;
}

export interface TreeSample {
  atMs: number;
  cpuSeconds: number;
  rssBytes: number;
  processes: number;
}

export function sampleTree(rootPid: number): TreeSample {
  const tree = processTree(rootPid);
  const ticks = tree.reduce((sum, p) => sum + p.cpuTicks, 0);
  const rssKb = tree.reduce((sum, p) => sum + readRssKb(p.pid), 0);
  return { atMs: performance.now(), cpuSeconds: ticks / clockTicksPerSecond, rssBytes: rssKb * 1024, processes: tree.length };
}

export interface TreeUsage {
  /** Percent of one core over the window. */
  cpuPercent: number;
  /** Median of the RSS samples taken during the window, bytes. */
  rssBytes: number;
  /** Largest RSS sample during the window, bytes. */
  peakRssBytes: number;
  processes: number;
}

/**
 * Samples the tree every `intervalMs` until `stop()` is called. CPU counts only processes alive
 * at both ends of the window (a worker that exits mid-window would otherwise make the delta
 * negative); the servers measured here keep a fixed set of processes.
 */
export function startTreeSampler(rootPid: number, intervalMs = 500): { stop(): TreeUsage } {
  const first = sampleTree(rootPid);
  const rss: number[] = [first.rssBytes];
  const timer = setInterval(() => rss.push(sampleTree(rootPid).rssBytes), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = sampleTree(rootPid);
      rss.push(last.rssBytes);
      const seconds = (last.atMs - first.atMs) / 1000;
      const sorted = [...rss].sort((a, b) => a - b);
      return {
        cpuPercent: seconds > 0 ? ((last.cpuSeconds - first.cpuSeconds) / seconds) * 100 : Number.NaN,
        rssBytes: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
        peakRssBytes: sorted[sorted.length - 1] ?? Number.NaN,
        processes: last.processes,
      };
    },
  };
}

/** Whole-machine CPU busy time from /proc/stat (all cores), to show how loaded the box was. */
export function machineCpuTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, v) => sum + v, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Percent of all cores busy between two machineCpuTicks() readings. */
export function machineBusyPercent(before: { busy: number; total: number }, after: { busy: number; total: number }): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : Number.NaN;
}

export interface WindowUsage {
  server: TreeUsage;
  /** The client worker processes together, % of one core. */
  clientsCpuPercent: number;
  machineBusyPercent: number;
}

/** Waits `windowMs` while sampling the server's tree, the client workers' trees and the whole machine. */
export async function sampleWindow(serverPid: number, clientPids: readonly number[], windowMs: number): Promise<WindowUsage> {
  const serverSampler = startTreeSampler(serverPid);
  const clientSamplers = clientPids.map((pid) => startTreeSampler(pid));
  const machineBefore = machineCpuTicks();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const server = serverSampler.stop();
  const clientsCpuPercent = clientSamplers.reduce((sum, sampler) => sum + sampler.stop().cpuPercent, 0);
  return { server, clientsCpuPercent, machineBusyPercent: machineBusyPercent(machineBefore, machineCpuTicks()) };
}
