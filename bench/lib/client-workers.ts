// Worker processes holding the bench's many clients (HLS viewers, RTMP players, chat readers), so
// that their CPU is sampled apart from the server's. The parent side: forks the workers, shares the
// clients out, and drives each worker (lib/client-worker-child.ts) through start -> mark -> stop.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackPid, untrackPid } from './cleanup.js';
import { splitViewers } from './fanout-stats.js';
import { sleep, withTimeout } from './time.js';

/** What a worker is told; `options` is the client kind's own start options. */
export type ClientWorkerCommand<Options> =
  | { type: 'start'; options: Options; count: number; staggerMs: number }
  | { type: 'ready?' }
  | { type: 'mark' }
  | { type: 'stop' };

/** What a worker answers: how many of its clients are ready (to 'ready?'), or its report (to 'stop'). */
export type ClientWorkerMessage<Report> = { type: 'ready'; count: number } | { type: 'report'; report: Report };

export interface ClientWorkers<Options, Report> {
  /** One per worker process, for sampling their CPU. */
  readonly pids: readonly number[];
  /** How many clients each worker holds. */
  readonly shares: readonly number[];
  /** Starts every worker's clients, joining over at most `joinWithinMs` (and at most 20 ms apart). */
  start(options: Options, joinWithinMs?: number): void;
  /** Waits until `count` clients in all are ready (ClientKind.ready), or `timeoutMs`; returns how many are. */
  waitReady(count: number, timeoutMs: number): Promise<number>;
  /** The measurement window starts now (clients started later start theirs when they start). */
  mark(): void;
  /** Stops the clients and collects one report per worker that is still alive. */
  collect(timeoutMs: number, what: string): Promise<Report[]>;
  /** Kills whatever is left (always call it, in a finally). */
  stop(): Promise<void>;
}

interface Worker<Report> {
  child: ChildProcess;
  report: Promise<Report | undefined>;
  /** The latest 'ready' count the worker sent. */
  ready: number;
}

function forkWorker<Report>(module: URL): Worker<Report> {
  const child = fork(fileURLToPath(module), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (child.pid === undefined) throw new Error(`could not start a client worker (${module.pathname})`);
  trackPid(child.pid);
  const worker: Worker<Report> = { child, report: Promise.resolve(undefined), ready: 0 };
  worker.report = new Promise<Report | undefined>((resolve) => {
    child.on('message', (message: ClientWorkerMessage<Report>) => {
      if (message.type === 'ready') worker.ready = message.count;
      else resolve(message.report);
    });
    // Not 'exit': a big report may still be in the IPC pipe when the process is gone. The channel
    // closes after its last message was read, also when the worker crashed.
    child.once('disconnect', () => resolve(undefined));
  });
  return worker;
}

async function killWorker(worker: Worker<unknown>): Promise<void> {
  const pid = worker.child.pid;
  if (worker.child.exitCode === null && worker.child.signalCode === null) {
    const exited = new Promise((resolve) => worker.child.once('exit', resolve));
    worker.child.kill('SIGKILL');
    await exited;
  }
  if (pid !== undefined) untrackPid(pid);
}

/** `total` clients over ceil(total / perWorker) worker processes running `module`. */
export function startClientWorkers<Options, Report>(module: URL, total: number, perWorker: number): ClientWorkers<Options, Report> {
  const shares = splitViewers(total, perWorker);
  const workers = shares.map(() => forkWorker<Report>(module));
  const send = (worker: Worker<Report>, command: ClientWorkerCommand<Options>) => {
    if (worker.child.connected) worker.child.send(command);
  };
  return {
    pids: workers.map((worker) => worker.child.pid ?? -1),
    shares,
    start(options, joinWithinMs = 5_000) {
      const staggerMs = Math.min(20, joinWithinMs / Math.max(1, ...shares));
      workers.forEach((worker, i) => send(worker, { type: 'start', options, count: shares[i] ?? 0, staggerMs }));
    },
    async waitReady(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        for (const worker of workers) send(worker, { type: 'ready?' });
        await sleep(250);
        const ready = workers.reduce((sum, worker) => sum + worker.ready, 0);
        if (ready >= count || performance.now() > deadline) return ready;
      }
    },
    mark() {
      for (const worker of workers) send(worker, { type: 'mark' });
    },
    async collect(timeoutMs, what) {
      for (const worker of workers) send(worker, { type: 'stop' });
      const reports = await Promise.all(workers.map((worker) => withTimeout(worker.report, timeoutMs, what)));
      return reports.filter((report): report is Awaited<Report> => report !== undefined);
    },
    async stop() {
      await Promise.all(workers.map(killWorker));
    },
  };
}
