// Bytes read from segment files and not yet handed to the kernel, across all responses. Each
// connection holds at most one response, but thousands of connections that never read could
// each hold a segment read from disk; past the budget a file-served request gets a 503.

export class ReadBudget {
  private used = 0;

  constructor(private readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `bytes`; false when that would pass the limit (one read alone may, so a big range still works). */
  tryTake(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}
