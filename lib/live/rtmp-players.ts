// RTMP players (VLC, ffplay, OBS Media Source) as viewers: on_play joins, on_play_done leaves.
// They count in ViewerPresence like a watch-page tab (same per-address rule), but without a lease:
// a player sends no heartbeat, and the media server posts on_play_done exactly once per allowed
// play. A lost on_play_done is bounded twice over: every player of a channel leaves when its
// publish ends (the media server ends them all then), and at most `maxPlayers` are held at once.
import type { ViewerHandle, ViewerPresence } from './presence';

export interface RtmpPlayersOptions {
  readonly presence: ViewerPresence;
  /** Players held at once across all channels. Default 10,000. */
  readonly maxPlayers?: number;
}

/** Identifies one play on one media server connection: app, connection id and address, as nginx-rtmp reports them. */
export function rtmpPlayerKey(play: { app: string; clientId: string; addr: string }): string {
  return `${play.app.slice(0, 128)}|${play.clientId.slice(0, 128)}|${play.addr.slice(0, 128)}`;
}

export class RtmpPlayers {
  private readonly presence: ViewerPresence;
  private readonly maxPlayers: number;
  private readonly players = new Map<string, { channelId: string; handle: ViewerHandle }>();

  constructor(options: RtmpPlayersOptions) {
    this.presence = options.presence;
    this.maxPlayers = options.maxPlayers ?? 10_000;
  }

  get size(): number {
    return this.players.size;
  }

  /**
   * Counts a player as a viewer of `channelId`. False when the registry is full (the play is then
   * refused: an uncounted viewer is one the app cannot see). A repeated key counts once.
   */
  join(channelId: string, key: string, addressKey: string): boolean {
    if (this.players.has(key)) return true;
    if (this.players.size >= this.maxPlayers) return false;
    const handle = this.presence.join(channelId, addressKey, { lease: false });
    this.players.set(key, { channelId, handle });
    return true;
  }

  /** The player stopped (on_play_done). Unknown keys are ignored. */
  leave(key: string): void {
    const player = this.players.get(key);
    if (!player) return;
    this.players.delete(key);
    player.handle.leave();
  }

  /** The channel's publish ended: its RTMP players were ended with it. */
  leaveChannel(channelId: string): void {
    for (const [key, player] of this.players) if (player.channelId === channelId) this.leave(key);
  }
}
