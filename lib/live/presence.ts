// Who is watching: one entry per open watch-page connection (one per browser tab), per channel.
//
// A connection joins when its event stream opens and leaves when the request is aborted. Because
// a misbehaving proxy can keep a dead connection open, each entry is also a lease: the stream
// touches it on every heartbeat, and sweep() drops entries that were not touched within leaseMs.
// In memory and per process, like the connections themselves.
import type { Clock } from './clock';

export interface ViewerHandle {
  /** Renews the lease; call when a heartbeat was written successfully. */
  touch(): void;
  /** Removes this viewer; safe to call more than once. */
  leave(): void;
}

export interface ViewerPresenceOptions {
  readonly clock: Clock;
  /** How long an entry lives without touch() (default 60 s, four 15 s heartbeats). */
  readonly leaseMs?: number;
  /** Upper bound on viewers per channel, so a flood of connections cannot grow memory without end. */
  readonly maxPerChannel?: number;
}

export class TooManyViewersError extends Error {
  constructor(readonly channelId: string, readonly limit: number) {
    super(`channel ${channelId} already has ${limit} viewers connected`);
    this.name = 'TooManyViewersError';
  }
}

export class ViewerPresence {
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly maxPerChannel: number;
  /** channelId -> (viewer id -> last touch). */
  private readonly channels = new Map<string, Map<number, number>>();
  private nextId = 1;

  constructor(options: ViewerPresenceOptions) {
    this.clock = options.clock;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxPerChannel = options.maxPerChannel ?? 100_000;
  }

  join(channelId: string): ViewerHandle {
    let viewers = this.channels.get(channelId);
    if (!viewers) {
      viewers = new Map();
      this.channels.set(channelId, viewers);
    }
    if (viewers.size >= this.maxPerChannel) throw new TooManyViewersError(channelId, this.maxPerChannel);
    const id = this.nextId++;
    viewers.set(id, this.clock.now());
    return {
      touch: () => {
        const current = this.channels.get(channelId);
        if (current?.has(id)) current.set(id, this.clock.now());
      },
      leave: () => this.remove(channelId, id),
    };
  }

  count(channelId: string): number {
    return this.channels.get(channelId)?.size ?? 0;
  }

  /** Drops every entry whose lease ran out; returns how many went. */
  sweep(): number {
    const oldest = this.clock.now() - this.leaseMs;
    let dropped = 0;
    for (const [channelId, viewers] of this.channels) {
      for (const [id, seen] of viewers) {
        if (seen < oldest) {
          viewers.delete(id);
          dropped++;
        }
      }
      if (viewers.size === 0) this.channels.delete(channelId);
    }
    return dropped;
  }

  private remove(channelId: string, id: number): void {
    const viewers = this.channels.get(channelId);
    if (!viewers) return;
    viewers.delete(id);
    if (viewers.size === 0) this.channels.delete(channelId);
  }
}
