// N real RTMP publishers: ffmpeg sending the cached input file with `-re -c copy`, so each stream
// is paced in real time and no publisher CPU goes into encoding.
import { startProcess, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { trackPid, untrackPid } from './cleanup.js';
import { sleep } from './time.js';

export function copyPublisherArgs(input: string, url: string): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-i', input, '-c', 'copy', '-f', 'flv', url];
}

export interface PublisherGroup {
  readonly processes: ManagedProcess[];
  /** How many publishers have exited so far (a publisher should outlive the measurement). */
  exitedCount(): number;
  stop(): Promise<void>;
}

/** Starts one publisher per stream key, `staggerMs` apart, like streamers going live. */
export async function startCopyPublishers(input: string, urls: readonly string[], staggerMs = 20): Promise<PublisherGroup> {
  const processes: ManagedProcess[] = [];
  let exited = 0;
  for (const url of urls) {
    const proc = startProcess('ffmpeg', copyPublisherArgs(input, url));
    trackPid(proc.pid);
    void proc.exited().then(() => {
      exited += 1;
    });
    processes.push(proc);
    if (staggerMs > 0) await sleep(staggerMs);
  }
  return {
    processes,
    exitedCount: () => exited,
    async stop() {
      await Promise.all(processes.map((proc) => proc.stop(3_000)));
      for (const proc of processes) untrackPid(proc.pid);
    },
  };
}
