// A child process of the rtmp-fanout phase holding a share of the RTMP players
// (lib/rtmp-play-reader.ts, lib/client-workers.ts), so that their CPU is measured apart from the server's.
import { serveClientWorker } from './client-worker-child.js';
import { RtmpPlayReader, type ReaderStats } from './rtmp-play-reader.js';

export interface RtmpWorkerReport {
  stats: ReaderStats[];
}

serveClientWorker<{ url: string }, RtmpPlayReader, RtmpWorkerReport>({
  start(options) {
    const reader = new RtmpPlayReader(options.url);
    reader.start();
    return reader;
  },
  mark(readers) {
    for (const reader of readers) reader.markWindowStart();
  },
  report: (readers) => ({ stats: readers.map((reader) => reader.stop()) }),
});
