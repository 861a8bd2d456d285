// A child process of the fan-out phase holding a share of the viewers, so that their CPU is
// measured apart from the server's (and from the bench's probe). Driven over the IPC channel:
//   {type:'start', url, count, staggerMs, startTimeoutMs} -> starts `count` HlsViewers
//   {type:'mark'}  -> their measurement window starts; deliveries are recorded from now on
//   {type:'stop'}  -> replies {type:'stats', stats, deliveries} and exits
import { HlsViewer, type ViewerStats } from './hls-viewer.js';
import { sleep } from './time.js';

export type WorkerCommand =
  | { type: 'start'; url: string; count: number; staggerMs: number; startTimeoutMs: number }
  | { type: 'mark' }
  | { type: 'stop' };

export interface WorkerReport {
  type: 'stats';
  stats: ViewerStats[];
  /** Per part/segment key (`<msn>.<part>` / `<msn>`): when each viewer had it in full, epoch ms. */
  deliveries: Array<[string, number[]]>;
}

const viewers: HlsViewer[] = [];
const deliveries = new Map<string, number[]>();
let recording = false;
let starting: Promise<void> = Promise.resolve();

const record = (key: string, epochMs: number) => {
  if (!recording) return;
  let list = deliveries.get(key);
  if (!list) deliveries.set(key, (list = []));
  list.push(Math.round(epochMs * 10) / 10);
};

process.on('message', (message: WorkerCommand) => {
  if (message.type === 'start') {
    starting = (async () => {
      for (let i = 0; i < message.count; i++) {
        const viewer = new HlsViewer(message.url, { startTimeoutMs: message.startTimeoutMs, onDelivered: record });
        viewers.push(viewer);
        viewer.start();
        if (message.staggerMs > 0) await sleep(message.staggerMs);
      }
    })();
  } else if (message.type === 'mark') {
    recording = true;
    for (const viewer of viewers) viewer.markWindowStart();
  } else {
    void (async () => {
      await starting;
      const stats = await Promise.all(viewers.map((viewer) => viewer.stop()));
      const report: WorkerReport = { type: 'stats', stats, deliveries: [...deliveries] };
      process.send?.(report, () => process.exit(0));
    })();
  }
});
// The parent going away (bench interrupted) ends this process too.
process.on('disconnect', () => process.exit(0));
