// @ts-check
// Runs several long-lived child processes as one unit: Ctrl-C / SIGTERM stops all of them
// cleanly; if one exits on its own, the others are stopped and the exit code says which died.
import { spawn } from 'node:child_process';

/**
 * @typedef {object} ProcessSpec
 * @property {string} name
 * @property {string} command
 * @property {string[]} args
 * @property {NodeJS.ProcessEnv} env
 * @property {string} cwd
 */

/**
 * @typedef {object} SuperviseOptions
 * @property {(line: string) => void} log
 * @property {number} [graceMs] How long a child has between SIGTERM and SIGKILL. Default 10 s.
 * @property {(name: string, pid: number) => void} [onStarted] Called once per child right after it was spawned.
 * @property {Pick<NodeJS.EventEmitter, 'on' | 'off'>} [signals] Where SIGINT/SIGTERM come from. Default: this process.
 */

/** @typedef {'SIGINT' | 'SIGTERM'} StopSignal */
/** @type {readonly StopSignal[]} */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'];

/**
 * Exit code of the supervisor when a child dies on its own: the child's own non-zero code, else
 * this one (a child that exits 0 or is killed by a signal while it should be serving is a failure).
 */
export const CHILD_DIED = 1;

/**
 * @param {ProcessSpec[]} specs
 * @param {SuperviseOptions} options
 * @returns {Promise<number>} the exit code for the supervisor: 0 after a requested stop
 */
export function supervise(specs, { log, graceMs = 10_000, onStarted, signals = process }) {
  return new Promise((resolve) => {
    /** @type {Map<string, import('node:child_process').ChildProcess>} */
    const running = new Map();
    let stopping = false;
    let exitCode = 0;

    const finish = () => {
      if (running.size > 0) return;
      for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
      resolve(exitCode);
    };

    /** @param {string} reason */
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
      finish();
    };

    // A terminal's Ctrl-C reaches the whole process group, children included: they begin to
    // shut down on their own, and the SIGTERM sent here is the same request once more. Signals
    // from `kill <pid>`, systemd or a container runtime reach only us; this forwards them.
    // A second Ctrl-C while stopping means "now": whatever is still running is killed.
    /** @param {StopSignal} signal */
    const onSignal = (signal) => {
      if (!stopping) return stopAll(signal);
      log(`${signal} again: killing ${[...running.keys()].join(', ') || 'nothing'}`);
      for (const child of running.values()) child.kill('SIGKILL');
    };
    for (const signal of STOP_SIGNALS) signals.on(signal, onSignal);

    for (const spec of specs) {
      const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: 'inherit' });
      running.set(spec.name, child);
      let gone = false;
      /**
       * @param {string} how
       * @param {number | null} code
       */
      const onGone = (how, code) => {
        if (gone) return;
        gone = true;
        running.delete(spec.name);
        if (!stopping) {
          log(`${spec.name} exited unexpectedly (${how})`);
          exitCode = code !== null && code !== 0 ? code : CHILD_DIED;
          stopAll(`${spec.name} died`);
        } else {
          log(`${spec.name} stopped (${how})`);
        }
        finish();
      };
      child.on('exit', (code, signal) => onGone(signal ? `signal ${signal}` : `code ${code}`, code));
      // A spawn failure (ENOENT, EACCES) emits 'error' and no 'exit'.
      child.on('error', (error) => onGone(`could not start: ${error.message}`, null));
      if (child.pid !== undefined) onStarted?.(spec.name, child.pid);
    }
  });
}
