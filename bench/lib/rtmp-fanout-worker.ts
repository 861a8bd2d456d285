// A child process of the rtmp-fanout phase holding a share of the RTMP players (lib/rtmp-play-reader.ts),
// so that their CPU is measured apart from the server's. Driven over the IPC channel:
//   {type:'start', url, count, staggerMs} -> starts `count` players
//   {type:'mark'}  -> their measurement window starts
//   {type:'stop'}  -> replies {type:'stats', stats} and exits
import { RtmpPlayReader, type ReaderStats } from './rtmp-play-reader.js';
import { sleep } from './time.js';

export type RtmpWorkerCommand = { type: 'start'; url: string; count: number; staggerMs: number } | { type: 'mark' } | { type: 'stop' };

export interface RtmpWorkerReport {
  type: 'stats';
  stats: ReaderStats[];
}

const readers: RtmpPlayReader[] = [];
let starting: Promise<void> = Promise.resolve();

process.on('message', (message: RtmpWorkerCommand) => {
  if (message.type === 'start') {
    starting = (async () => {
      for (let i = 0; i < message.count; i++) {
        const reader = new RtmpPlayReader(message.url);
        readers.push(reader);
        reader.start();
        if (message.staggerMs > 0) await sleep(message.staggerMs);
      }
    })();
  } else if (message.type === 'mark') {
    for (const reader of readers) reader.markWindowStart();
  } else {
    void (async () => {
      await starting;
      const report: RtmpWorkerReport = { type: 'stats', stats: readers.map((reader) => reader.stop()) };
      process.send?.(report, () => process.exit(0));
    })();
  }
});
// The parent going away (bench interrupted) ends this process too.
process.on('disconnect', () => process.exit(0));
