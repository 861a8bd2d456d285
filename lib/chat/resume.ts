// Where a reconnecting reader picks up (the contract's Last-Event-ID rule): with a usable id, the
// sequenced chat events after it; without one, or after missing too many, the history instead.
import { CHAT_RESUME_MAX } from './limits';

/** The id EventSource sent back, or null when there is none or it is not a chat sequence number. */
export function parseLastEventId(header: string | null): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (!/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/**
 * `rowsAfter` is how many events the database holds after the reader's id, read with a limit of
 * CHAT_RESUME_MAX + 1 so that "too many" shows without reading them all.
 */
export function resumeKind(lastEventId: number | null, rowsAfter: number): 'history' | 'replay' {
  return lastEventId === null || rowsAfter > CHAT_RESUME_MAX ? 'history' : 'replay';
}
/**
 * Live events that arrived while the replay was read: passes each one exactly once, in order,
 * dropping those the replay already sent (ids at or below the last replayed id).
 */
export class ReplayFence {
  private lastSent: number;

  constructor(lastSent: number) {
    this.lastSent = lastSent;
  }

  /** True when the event with this id should be sent now. */
  admit(id: number): boolean {
    if (id <= this.lastSent) return false;
    this.lastSent = id;
    return true;
  }

  get last(): number {
    return this.lastSent;
  }
}
