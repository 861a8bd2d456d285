// Pure helpers of the fan-out phase: tying each viewer's delivery of a part to the moment the
// probe first saw that part listed, and splitting viewers over worker processes.
import { distribution, type Distribution } from './stats.js';

export interface DeliveryDelays {
  /** Delivery time minus listing time, ms, one per (viewer, part) with an exact listing time. */
  delays: Distribution;
  /** Deliveries of parts the probe has no exact listing time for (not counted above). */
  unmatched: number;
}

/**
 * `listedAt`: probe key `<msn>.<part>` -> epoch ms of the first playlist response listing it.
 * `deliveries`: per key, epoch ms at which each viewer had the part's last byte.
 */
export function deliveryDelays(listedAt: ReadonlyMap<string, number>, deliveries: Iterable<readonly [string, readonly number[]]>): DeliveryDelays {
  const delays: number[] = [];
  let unmatched = 0;
  for (const [key, times] of deliveries) {
    const listed = listedAt.get(key);
    if (listed === undefined) {
      unmatched += times.length;
      continue;
    }
    for (const time of times) delays.push(time - listed);
  }
  return { delays: distribution(delays), unmatched };
}

/** Merges the per-key delivery lists of several workers. */
export function mergeDeliveries(reports: Iterable<Iterable<readonly [string, readonly number[]]>>): Map<string, number[]> {
  const merged = new Map<string, number[]>();
  for (const report of reports) {
    for (const [key, times] of report) {
      const list = merged.get(key);
      if (list) list.push(...times);
      else merged.set(key, [...times]);
    }
  }
  return merged;
}

/** `total` viewers over ceil(total / perWorker) workers, as evenly as possible. */
export function splitViewers(total: number, perWorker: number): number[] {
  if (total <= 0) return [];
  const workers = Math.ceil(total / perWorker);
  return Array.from({ length: workers }, (_, i) => Math.floor(total / workers) + (i < total % workers ? 1 : 0));
}
