// A StreamOutputs that keeps statistics of every live stream, for GET /api/streams. Wired next
// to the HLS output through fanOut() in index.ts.
import type { MediaMessage, PublishedStream, StreamEndReason, StreamOutputs, StreamSink } from '../media/types.js';
import { StreamStats, type StreamStatsSnapshot } from './stream-stats.js';

export interface LiveStreamInfo extends StreamStatsSnapshot {
  readonly app: string;
  readonly name: string;
  readonly startedAt: string;
  readonly publisherAddress: string | null;
}

export class StatsCollector implements StreamOutputs {
  private readonly live = new Set<{ stream: PublishedStream; stats: StreamStats }>();

  constructor(private readonly now: () => number = Date.now) {}

  open(stream: PublishedStream): StreamSink {
    const entry = { stream, stats: new StreamStats(this.now) };
    this.live.add(entry);
    let ended = false;
    return {
      write: (message: MediaMessage) => entry.stats.record(message),
      end: (_reason: StreamEndReason) => {
        if (ended) return;
        ended = true;
        this.live.delete(entry);
      },
    };
  }

  list(): LiveStreamInfo[] {
    return [...this.live].map(({ stream, stats }) => ({
      app: stream.app,
      name: stream.name,
      startedAt: stream.publishedAt.toISOString(),
      publisherAddress: stream.publisherAddress ?? null,
      ...stats.snapshot(),
    }));
  }
}
