// Last-resort cleanup: every long-lived process the bench starts is tracked by PID, and if the
// bench is interrupted (Ctrl-C, SIGTERM, an uncaught error) the tracked process trees are
// killed by PID. Nothing is ever killed by name.
import { processTree } from './proc-stats.js';

const tracked = new Set<number>();

export function trackPid(pid: number): void {
  tracked.add(pid);
}

export function untrackPid(pid: number): void {
  tracked.delete(pid);
}

/** SIGKILLs each tracked process and its descendants (children first would not matter: all are killed). */
export function killTracked(): void {
  for (const root of tracked) {
    for (const proc of processTree(root).reverse()) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch (error) {
        // Already gone (ESRCH) is the expected race; anything else is worth a line on stderr.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') console.error(`cleanup: kill ${proc.pid}: ${String(error)}`);
      }
    }
  }
  tracked.clear();
}
