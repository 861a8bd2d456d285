// Bytes read from segment files and not yet handed to the kernel, across all responses. Each
// connection holds at most one response, but thousands of connections that never read could
// each hold a segment read from disk; past the budget a file-served request gets a 503.
//
// The budget also lends the step buffers file reads go through (lendBuffer/returnBuffer) and
// keeps a few returned ones for the next response: a new step buffer per response was freed
// only by a full GC, so 50 slow readers asking for a segment 4 times each left ~13 MB of dead
// buffers behind; reused, they are as many as responses reading at once.

/**
 * File-served bytes leave in steps of this size through one buffer per response, each step read
 * after the socket took the one before: a client that reads slowly holds one step in memory, not
 * the whole segment (50 readers at 5 KiB/s held ~1 MB each when a segment was read at once).
 * 32 KiB (nginx's output_buffers default, when it does not sendfile): half the memory per slow
 * reader of 64 KiB steps, for twice the reads of a fast one.
 */
export const fileStepBytes = 32 * 1024;

export class ReadBudget {
  private used = 0;
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly limitBytes: number,
    /** Size of each lent buffer. */
    readonly bufferBytes = fileStepBytes,
    /** Returned buffers kept for reuse; more are left to the GC. */
    private readonly maxSpareBuffers = 16,
  ) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Buffers kept for reuse (tests). */
  get spareBuffers(): number {
    return this.spare.length;
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

  /** A buffer of `bufferBytes`, counted against the budget until returned; undefined when spent. */
  lendBuffer(): Buffer | undefined {
    if (!this.tryTake(this.bufferBytes)) return undefined;
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
  }

  /** Gives back a lent buffer; the caller must not touch it again (nor may any write still pending use it). */
  returnBuffer(buffer: Buffer): void {
    this.give(this.bufferBytes);
    if (this.spare.length < this.maxSpareBuffers) this.spare.push(buffer);
  }
}
