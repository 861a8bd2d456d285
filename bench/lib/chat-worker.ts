// A child process of the chat phase holding a share of the chat readers (lib/chat-reader.ts,
// lib/client-workers.ts), so that their CPU is measured apart from the web app's.
import { ChatReader, type ChatReaderStats } from './chat-reader.js';
import { serveClientWorker } from './client-worker-child.js';

export interface ChatWorkerReport {
  readers: ChatReaderStats[];
  /** Per message id: when each reader of this worker first had it, epoch ms (after the mark). */
  deliveries: Array<[number, number[]]>;
}

const deliveries = new Map<number, number[]>();

const record = (id: number, epochMs: number) => {
  let list = deliveries.get(id);
  if (!list) deliveries.set(id, (list = []));
  list.push(Math.round(epochMs * 10) / 10);
};

serveClientWorker<{ url: string }, ChatReader, ChatWorkerReport>({
  start(options) {
    const reader = new ChatReader(options.url, { onReceived: record });
    reader.start();
    return reader;
  },
  ready: (reader) => reader.ready,
  mark(readers) {
    for (const reader of readers) reader.markWindowStart();
  },
  report: (readers) => ({ readers: readers.map((reader) => reader.stop()), deliveries: [...deliveries] }),
});
