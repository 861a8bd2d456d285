// A child process of the fan-out phase holding a share of the viewers (lib/client-workers.ts), so
// that their CPU is measured apart from the server's (and from the bench's probe). Deliveries are
// recorded from the window's mark on.
import { serveClientWorker } from './client-worker-child.js';
import { HlsViewer, type ViewerStats } from './hls-viewer.js';

export interface ViewerWorkerOptions {
  url: string;
  startTimeoutMs: number;
}

export interface WorkerReport {
  stats: ViewerStats[];
  /** Per part/segment key (`<msn>.<part>` / `<msn>`): when each viewer had it in full, epoch ms. */
  deliveries: Array<[string, number[]]>;
}

const deliveries = new Map<string, number[]>();
let recording = false;

const record = (key: string, epochMs: number) => {
  if (!recording) return;
  let list = deliveries.get(key);
  if (!list) deliveries.set(key, (list = []));
  list.push(Math.round(epochMs * 10) / 10);
};

serveClientWorker<ViewerWorkerOptions, HlsViewer, WorkerReport>({
  start(options) {
    const viewer = new HlsViewer(options.url, { startTimeoutMs: options.startTimeoutMs, onDelivered: record });
    viewer.start();
    return viewer;
  },
  mark(viewers) {
    recording = true;
    for (const viewer of viewers) viewer.markWindowStart();
  },
  async report(viewers) {
    return { stats: await Promise.all(viewers.map((viewer) => viewer.stop())), deliveries: [...deliveries] };
  },
});
