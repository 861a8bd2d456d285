// A clock and timers that a test moves by hand (the Clock and Timers of src/hls/timers.ts):
// `advance(ms)` fires the timers that fall due, in order, each with the clock at its own due time,
// so a test of a grace period or a blocking timeout takes no wall time.
import type { Clock, Timers } from '../../src/hls/timers.js';

interface PendingTimer {
  readonly at: number;
  readonly callback: () => void;
}

export class FakeClock implements Clock, Timers {
  private time: number;
  private nextHandle = 1;
  private readonly pending = new Map<number, PendingTimer>();
  private timerSetWaiters: Array<() => void> = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.pending.set(handle, { at: this.time + Math.max(0, ms), callback });
    const waiters = this.timerSetWaiters;
    this.timerSetWaiters = [];
    for (const wake of waiters) wake();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Timers set and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.pending.size;
  }

  /** Resolves the next time a timer is set (a request starts being held, a grace period starts). */
  nextTimer(): Promise<void> {
    return new Promise((resolve) => this.timerSetWaiters.push(resolve));
  }

  /** Moves time forward by `ms`, firing every timer due by then (earliest first, ties in the order set). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, PendingTimer] | undefined;
      for (const entry of this.pending) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }
}
