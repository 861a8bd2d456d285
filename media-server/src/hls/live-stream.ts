// One HLS stream (`/<app>/<name>/`): its ingest side (stream-ingest.ts: publishes in, segments,
// files, lifecycle) and its serving side (stream-requests.ts: playlists, segments, parts, held
// requests), wired so that every change on the ingest side reaches the held requests.

import { StreamIngest, type StreamIngestOptions } from './stream-ingest.js';
import { StreamRequests } from './stream-requests.js';

export type LiveStreamOptions = Omit<StreamIngestOptions, 'onChange'>;

export interface LiveStream {
  readonly ingest: StreamIngest;
  readonly requests: StreamRequests;
}

export function openLiveStream(options: LiveStreamOptions): LiveStream {
  // The ingest side calls back only once media or a publish arrives, after both exist.
  const ingest: StreamIngest = new StreamIngest({
    ...options,
    onChange: () => requests.changed(),
    onRemoved: () => {
      requests.close();
      options.onRemoved();
    },
  });
  const requests = new StreamRequests(ingest, options.timers);
  return { ingest, requests };
}
