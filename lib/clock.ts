// The web app's one Clock: code that needs the time asks a Clock instead of calling Date.now(),
// so tests move time by hand (STYLE rule 26). Milliseconds since the epoch; `new Date(clock.now())`
// where a Date is needed.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
