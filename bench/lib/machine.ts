// What the machine and the tools were, for the header of RESULTS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { machineBusyPercent, machineCpuTicks } from './proc-stats.js';
import { sleep } from './time.js';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  os: string;
  node: string;
  ffmpeg: string;
  loadAverageAtStart: number[];
  /** All-core busy percent over 5 s before the bench started anything. */
  backgroundBusyPercent: number;
}

function firstLine(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 30_000 }).split('\n')[0]?.trim() ?? '';
  } catch (error) {
    return `unavailable (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const before = machineCpuTicks();
  await sleep(5_000);
  const backgroundBusyPercent = machineBusyPercent(before, machineCpuTicks());
  const osRelease = readFileSync('/etc/os-release', 'utf8');
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    kernel: firstLine('uname', ['-r']),
    os: /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? 'unknown',
    node: process.version,
    ffmpeg: firstLine('ffmpeg', ['-version']),
    loadAverageAtStart: loadavg(),
    backgroundBusyPercent,
  };
}

/** "git abc1234" plus a note when `paths` have uncommitted changes (the bench runs the working tree). */
export function gitState(repoRoot: string, paths: readonly string[]): string {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', ...paths], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
  return `working tree at git ${commit}${dirty ? `, with uncommitted changes in ${paths.join(', ')}` : ''}`;
}
