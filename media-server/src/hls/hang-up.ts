// A held request's link to its client hanging up. Not an AbortController: on Node 20 every
// AbortController outlives the young-generation collections and is freed only by a full GC
// (measured: a node:http loop of 503 answers that made one per request grew the old space
// steadily until the next full GC; the same loop without it did not grow at all), so a flood
// of blocking reloads piled up tens of MB of dead signals between full collections.

export class HangUpSignal {
  private hungUp = false;
  private readonly listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.hungUp;
  }

  /** Calls `listener` once when the client hangs up. */
  onAbort(listener: () => void): void {
    this.listeners.add(listener);
  }

  offAbort(listener: () => void): void {
    this.listeners.delete(listener);
  }

  /** The client hung up (or the request may not be held): runs each listener once. */
  abort(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}
