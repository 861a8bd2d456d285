// The send decision for one RTMP player, given how many bytes already wait in its output queue.
// Media packets are shared by every player, so a slow player must not be waited for: past
// `maxQueueBytes` it skips media until the next keyframe that finds its queue half drained, and
// one that stays behind for `maxBehindMs` is dropped. Decoder configurations and metadata are
// never skipped (a player resuming at a keyframe needs them); they are small and rare, and the
// hard cap of twice `maxQueueBytes` bounds them too.
import type { PlayPacket } from './play-packets.js';

export interface PacerLimits {
  readonly maxQueueBytes: number;
  readonly maxBehindMs: number;
}

export type PacerDecision = 'send' | 'skip' | 'drop';

export class PlayerPacer {
  /** When the player started skipping; null while it keeps up. */
  private behindSince: number | null = null;
  private skippedPackets = 0;

  constructor(private readonly limits: PacerLimits) {}

  get skipping(): boolean {
    return this.behindSince !== null;
  }

  /** Packets skipped so far (for the log line when the player leaves). */
  get skipped(): number {
    return this.skippedPackets;
  }

  /** A player that joined without a GOP to start from (none yet, or it overflowed) waits for the next keyframe. */
  waitForKeyframe(now: number): void {
    this.behindSince ??= now;
  }

  decide(packet: PlayPacket, queuedBytes: number, now: number): PacerDecision {
    const { maxQueueBytes, maxBehindMs } = this.limits;
    if (queuedBytes + packet.bytes.length > 2 * maxQueueBytes) return 'drop';
    if (packet.kind !== 'video' && packet.kind !== 'audio') return 'send';
    if (this.behindSince !== null) {
      if (packet.keyframe && queuedBytes + packet.bytes.length <= maxQueueBytes / 2) {
        this.behindSince = null;
        return 'send';
      }
      if (now - this.behindSince > maxBehindMs) return 'drop';
      this.skippedPackets++;
      return 'skip';
    }
    if (queuedBytes + packet.bytes.length > maxQueueBytes) {
      this.behindSince = now;
      this.skippedPackets++;
      return 'skip';
    }
    return 'send';
  }
}
