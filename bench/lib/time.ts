// Timing helpers shared by the phases: every wait in the bench is bounded.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects with a message naming `what` if `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

let epochAnchor = Date.now() - performance.now();

/**
 * Wall-clock epoch milliseconds with sub-millisecond resolution, for comparing times taken in
 * different processes (viewer workers, Chromium). performance.timeOrigin + now() is not enough in
 * a long run: when the wall clock steps (NTP, or a VM paused and resumed, which the monotonic
 * clock does not count) it drifts from every fresh process's clock by the step, so this follows
 * Date.now() whenever the two differ by more than a millisecond or two.
 */
export function epochNow(): number {
  const now = performance.now();
  const wall = Date.now();
  if (Math.abs(wall - (epochAnchor + now)) > 2) epochAnchor = wall - now;
  return epochAnchor + now;
}
