// The child side of lib/client-workers.ts: a worker process's IPC loop. The client kind supplies
// how to start one client, what marking the window does, and the report; this file does the
// staggered start, the order of commands, and exiting with the parent.
import type { ClientWorkerCommand } from './client-workers.js';
import { sleep } from './time.js';

export interface ClientKind<Options, Client, Report> {
  /** Creates and starts the `index`-th client of this worker. */
  start(options: Options, index: number): Client;
  /** The measurement window starts (called once, with every client started so far). */
  mark(clients: readonly Client[]): void;
  /** Stops the clients and says what they saw. */
  report(clients: readonly Client[]): Promise<Report> | Report;
}

export function serveClientWorker<Options, Client, Report>(kind: ClientKind<Options, Client, Report>): void {
  const clients: Client[] = [];
  let starting: Promise<void> = Promise.resolve();
  process.on('message', (message: ClientWorkerCommand<Options>) => {
    if (message.type === 'start') {
      starting = (async () => {
        for (let i = 0; i < message.count; i++) {
          clients.push(kind.start(message.options, i));
          if (message.staggerMs > 0) await sleep(message.staggerMs);
        }
      })();
    } else if (message.type === 'mark') {
      kind.mark(clients);
    } else {
      void (async () => {
        await starting;
        const report = await kind.report(clients);
        process.send?.(report, () => process.exit(0));
      })();
    }
  });
  // The parent going away (bench interrupted) ends this process too.
  process.on('disconnect', () => process.exit(0));
}
