// At most `perAddress` open connections per (channel, client address): for streams that are not
// viewers (the pop-out chat), where ViewerPresence's "count only the first N" would not bound
// anything, and, under ALL_CHANNELS, for every event stream of an address together. Beyond the
// cap the caller answers 503.

/** The scope of a cap over all channels together. */
export const ALL_CHANNELS = '*';

export class AddressSlots {
  private readonly perAddress: number;
  private readonly open = new Map<string, number>();

  constructor(options: { perAddress: number }) {
    this.perAddress = options.perAddress;
  }

  /** Takes a slot; returns its release (safe to call more than once), or null when the address is at its cap. */
  take(channelId: string, address: string): (() => void) | null {
    const key = `${channelId} ${address}`;
    const count = this.open.get(key) ?? 0;
    if (count >= this.perAddress) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(key) ?? 1) - 1;
      if (now <= 0) this.open.delete(key);
      else this.open.set(key, now);
    };
  }

  count(channelId: string, address: string): number {
    return this.open.get(`${channelId} ${address}`) ?? 0;
  }
}
