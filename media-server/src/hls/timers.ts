// Time as a dependency of the HLS streams: the wall clock (EXT-X-PROGRAM-DATE-TIME) and the
// timers (held requests, end grace, removal) are passed in, the real ones by default, so tests
// move time by hand (test/helpers/fake-clock.ts) instead of sleeping. Same shape as the web app's
// lib/live/clock.ts and the Timers of lib/live/live-hub.ts.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
