// Polling for end-to-end tests, where the page or the servers get there in their own time.

/**
 * Polls `probe` every 200 ms until it returns a truthy value and returns that value. After
 * `timeoutMs` it fails naming `what` and the last value, followed by the platform's output
 * (server logs) when one is given, since that is usually where the reason is.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  timeoutMs: number,
  platform?: { output(): string },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(last)}\n${platform?.output() ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
