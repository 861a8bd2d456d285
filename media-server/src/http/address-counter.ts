// Counts things held per client key (connections, held requests) against a cap per key and a
// cap in total. Pure bookkeeping; callers decide what "over the cap" means for them.

export class AddressCounter {
  private readonly perKey = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly maxPerKey: number,
    private readonly maxTotal: number = Number.POSITIVE_INFINITY,
  ) {}

  get total(): number {
    return this.count;
  }

  held(key: string): number {
    return this.perKey.get(key) ?? 0;
  }

  /** True when one more for `key` is within the caps (nothing counted). */
  canAdd(key: string): boolean {
    return (this.perKey.get(key) ?? 0) < this.maxPerKey && this.count < this.maxTotal;
  }

  /** Counts one for `key`; false (and nothing counted) when a cap is reached. */
  tryAdd(key: string): boolean {
    if (!this.canAdd(key)) return false;
    const held = this.perKey.get(key) ?? 0;
    this.perKey.set(key, held + 1);
    this.count++;
    return true;
  }

  /** Gives back one counted for `key`. */
  remove(key: string): void {
    const held = this.perKey.get(key);
    if (held === undefined) return;
    if (held <= 1) this.perKey.delete(key);
    else this.perKey.set(key, held - 1);
    this.count--;
  }
}
