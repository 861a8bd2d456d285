// Pure parts of the chat phase: each reader's order check, and the join of what the senders sent
// with what every reader received (delay from send to receipt, lost messages).
import { deliveryDelays, mergeDeliveries, type DeliveryDelays } from './fanout-stats.js';
import { distribution, type Distribution } from './stats.js';

/**
 * One reader's view of the server's order: chat message ids must arrive strictly increasing.
 * An id at or below the highest one seen before is a violation (reordered or duplicated).
 */
export class OrderCheck {
  private highest = -1;
  violations = 0;

  /** A live `chat-message`: true when it is in order. */
  message(id: number): boolean {
    if (id <= this.highest) {
      this.violations++;
      return false;
    }
    this.highest = id;
    return true;
  }

  /**
   * A `chat-history` snapshot (oldest first) REPLACES the log, so ids the reader already has are
   * not violations; returns the ids that are new to this reader. Out of order inside the snapshot
   * is a violation.
   */
  history(ids: readonly number[]): number[] {
    const fresh: number[] = [];
    let previous = -1;
    for (const id of ids) {
      if (id <= previous) this.violations++;
      previous = Math.max(previous, id);
      if (id > this.highest) fresh.push(id);
    }
    this.highest = Math.max(this.highest, previous);
    return fresh;
  }
}

/** What one reader reports about the window. */
export interface ReaderReceipts {
  /** Distinct message ids it received after the window's mark. */
  ids: readonly number[];
}

export interface ChatDeliverySummary {
  /** Messages accepted (201) whose send time falls in the window. */
  messages: number;
  readers: number;
  /** Receipt minus the sender's timestamp taken before its POST, one per (reader, message). */
  delays: DeliveryDelays;
  /** Per message, its first receipt by any reader minus its send time: the POST and write, before the fan-out's spread. */
  firstDelays: Distribution;
  /** (reader, message) pairs never received (a reader that did not report lost all). */
  lost: number;
  /** Readers that missed at least one message. */
  readersWithLoss: number;
}

/**
 * `sentAt`: message id -> epoch ms the sender took just before its POST, for the window's messages.
 * `deliveries`: per worker, message id -> epoch ms of each reader's receipt.
 */
export function summarizeDeliveries(
  sentAt: ReadonlyMap<number, number>,
  deliveries: Iterable<Iterable<readonly [number, readonly number[]]>>,
  readers: readonly ReaderReceipts[],
  expectedReaders: number,
): ChatDeliverySummary {
  const listed = new Map([...sentAt].map(([id, at]) => [String(id), at] as const));
  const merged = [...mergeDeliveries([...deliveries].map((list) => [...list].map(([id, times]) => [String(id), times] as const)))];
  // A reader that never reported (its worker died) received nothing.
  const unreported = Math.max(0, expectedReaders - readers.length);
  let lost = sentAt.size > 0 ? unreported * sentAt.size : 0;
  let readersWithLoss = sentAt.size > 0 ? unreported : 0;
  for (const reader of readers) {
    const got = new Set(reader.ids);
    let missing = 0;
    for (const id of sentAt.keys()) if (!got.has(id)) missing++;
    lost += missing;
    if (missing > 0) readersWithLoss++;
  }
  return {
    messages: sentAt.size,
    readers: expectedReaders,
    delays: deliveryDelays(listed, merged.filter(([id]) => listed.has(id))),
    firstDelays: distribution(merged.flatMap(([id, times]) => (listed.has(id) && times.length > 0 ? [Math.min(...times) - (listed.get(id) ?? 0)] : []))),
    lost,
    readersWithLoss,
  };
}
