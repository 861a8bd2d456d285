// Who is watching: one entry per open watch-page connection (one per browser tab), per channel.
//
// A connection joins when its event stream opens and leaves when the request is aborted. Because
// a misbehaving proxy can keep a dead connection open, each entry is also a lease: the stream
// touches it on every heartbeat, and sweep() drops entries that were not touched within leaseMs.
// In memory and per process, like the connections themselves.
//
// One client must not be able to inflate a count by opening many connections: at most
// `perAddress` connections from one address (an IPv6 client's /64, lib/client-address.ts) count
// per channel. The rest still get their event stream; they just do not add to the number.
import type { Clock } from '../clock';

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
  /** Connections from one address counted per channel (VIEWERS_PER_ADDRESS, default 3). */
  readonly perAddress?: number;
}

interface ChannelViewers {
  /** viewer id -> last touch and the address it counts under. */
  readonly viewers: Map<number, { seen: number; address: string }>;
  /** address -> open connections from it. */
  readonly perAddress: Map<string, number>;
  /** Sum over addresses of min(connections, perAddress). */
  counted: number;
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
  private readonly perAddress: number;
  private readonly channels = new Map<string, ChannelViewers>();
  private nextId = 1;

  constructor(options: ViewerPresenceOptions) {
    this.clock = options.clock;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxPerChannel = options.maxPerChannel ?? 100_000;
    this.perAddress = options.perAddress ?? 3;
  }

  /**
   * A connection opens. `address` is the client's key (lib/client-address.ts `clientKey`); without
   * one (internal callers, tests) the connection counts on its own. `lease: false`: the entry is
   * never swept, only left (RTMP players, which end with on_play_done).
   */
  join(channelId: string, address?: string, options: { lease?: boolean } = {}): ViewerHandle {
    let channel = this.channels.get(channelId);
    if (!channel) {
      channel = { viewers: new Map(), perAddress: new Map(), counted: 0 };
      this.channels.set(channelId, channel);
    }
    if (channel.viewers.size >= this.maxPerChannel) throw new TooManyViewersError(channelId, this.maxPerChannel);
    const id = this.nextId++;
    const key = address ?? `connection:${id}`;
    // Without a lease (RTMP players, lib/live/rtmp-players.ts) the entry stays until leave().
    channel.viewers.set(id, { seen: options.lease === false ? Infinity : this.clock.now(), address: key });
    const open = (channel.perAddress.get(key) ?? 0) + 1;
    channel.perAddress.set(key, open);
    if (open <= this.perAddress) channel.counted++;
    return {
      touch: () => {
        const entry = this.channels.get(channelId)?.viewers.get(id);
        if (entry && entry.seen !== Infinity) entry.seen = this.clock.now();
      },
      leave: () => this.remove(channelId, id),
    };
  }

  /** Viewers of a channel: open connections, at most `perAddress` from each address. */
  count(channelId: string): number {
    return this.channels.get(channelId)?.counted ?? 0;
  }

  /** Drops every entry whose lease ran out; returns how many went. */
  sweep(): number {
    const oldest = this.clock.now() - this.leaseMs;
    let dropped = 0;
    for (const [channelId, channel] of this.channels) {
      for (const [id, entry] of channel.viewers) {
        if (entry.seen < oldest) {
          this.remove(channelId, id);
          dropped++;
        }
      }
    }
    return dropped;
  }

  private remove(channelId: string, id: number): void {
    const channel = this.channels.get(channelId);
    const entry = channel?.viewers.get(id);
    if (!channel || !entry) return;
    channel.viewers.delete(id);
    const open = (channel.perAddress.get(entry.address) ?? 1) - 1;
    if (open === 0) channel.perAddress.delete(entry.address);
    else channel.perAddress.set(entry.address, open);
    // The connection that leaves frees a counted slot when the address had at most perAddress open.
    if (open < this.perAddress) channel.counted--;
    if (channel.viewers.size === 0) this.channels.delete(channelId);
  }
}
