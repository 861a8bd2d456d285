// The child side of lib/client-workers.ts: a worker process's IPC loop. The client kind supplies
// how to start one client, what marking the window does, and the report; this file does the
// staggered start, the order of commands, and exiting with the parent.
import type { ClientWorkerCommand, ClientWorkerMessage } from './client-workers.js';
import { sleep } from './time.js';

export interface ClientKind<Options, Client, Report> {
  /** Creates and starts the `index`-th client of this worker. */
  start(options: Options, index: number): Client;
  /** The measurement window starts: called with every client started so far, then with each one started later. */
  mark(clients: readonly Client[]): void;
  /** Whether a client is ready (connected and caught up); without it, a started client is. */
  ready?(client: Client): boolean;
  /** Stops the clients and says what they saw. */
  report(clients: readonly Client[]): Promise<Report> | Report;
}

export function serveClientWorker<Options, Client, Report>(kind: ClientKind<Options, Client, Report>): void {
  const clients: Client[] = [];
  let starting: Promise<void> = Promise.resolve();
  let marked = false;
  const reply = (message: ClientWorkerMessage<Report>, then: () => void = () => undefined) => process.send?.(message, then);
  process.on('message', (message: ClientWorkerCommand<Options>) => {
    if (message.type === 'start') {
      starting = (async () => {
        for (let i = 0; i < message.count; i++) {
          const client = kind.start(message.options, i);
          clients.push(client);
          // On a loaded machine the staggered start can outlast the warm-up.
          if (marked) kind.mark([client]);
          if (message.staggerMs > 0) await sleep(message.staggerMs);
        }
      })();
    } else if (message.type === 'ready?') {
      reply({ type: 'ready', count: kind.ready ? clients.filter((client) => kind.ready?.(client)).length : clients.length });
    } else if (message.type === 'mark') {
      marked = true;
      kind.mark(clients);
    } else {
      void (async () => {
        await starting;
        const report = await kind.report(clients);
        // Closing the channel (then exiting, below) lets the parent read the whole report first.
        reply({ type: 'report', report }, () => process.disconnect());
      })();
    }
  });
  // The parent going away (bench interrupted) ends this process too.
  process.on('disconnect', () => process.exit(0));
}
