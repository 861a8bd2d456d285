// Clocks for tests (lib/clock.ts is the interface).
import type { Clock } from '../../lib/clock';

/** A clock tests move by hand. */
export function manualClock(start = 0): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}

/** A clock that reads a Date the test reassigns (`let at = new Date(...)`; `dateClock(() => at)`). */
export function dateClock(current: () => Date): Clock {
  return { now: () => current().getTime() };
}
