// Runs several long-lived child processes as one unit: Ctrl-C / SIGTERM stops all of them
// cleanly; if one exits on its own, the others are stopped and the exit code says which died.
import { spawn } from 'node:child_process';

/**
 * @param {{ name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string }[]} specs
 * @param {{ log: (line: string) => void, graceMs?: number }} options
 * @returns {Promise<number>} the exit code for the supervisor
 */
export function supervise(specs, { log, graceMs = 10_000 }) {
  return new Promise((resolve) => {
    const running = new Map();
    let stopping = false;
    let exitCode = 0;

    const stopAll = (reason) => {
      if (stopping) return;
      stopping = true;
      log(`stopping (${reason})`);
      for (const [name, child] of running) {
        child.kill('SIGTERM');
        setTimeout(() => {
          if (running.has(name)) {
            log(`${name} did not stop within ${graceMs} ms, killing it`);
            child.kill('SIGKILL');
          }
        }, graceMs).unref();
      }
    };

    for (const spec of specs) {
      // detached: false keeps children in our process group, so a terminal Ctrl-C reaches them
      // too; we still forward signals for the non-terminal case (systemd, docker, kill PID).
      const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: 'inherit' });
      running.set(spec.name, child);
      child.on('exit', (code, signal) => {
        running.delete(spec.name);
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!stopping) {
          log(`${spec.name} exited unexpectedly (${how})`);
          exitCode = code && code !== 0 ? code : 1;
          stopAll(`${spec.name} died`);
        } else {
          log(`${spec.name} stopped (${how})`);
        }
        if (running.size === 0) resolve(exitCode);
      });
      child.on('error', (error) => {
        log(`${spec.name} could not start: ${error.message}`);
      });
    }

    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => stopAll(signal));
    }
  });
}
