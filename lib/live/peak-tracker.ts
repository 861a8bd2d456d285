// Decides when a channel's peak viewer count must be written to its open StreamSession.
// Pure bookkeeping: the caller does the write, so the rule is testable without a database.
//
// A session is identified by the channel and its liveSince: a new publish is a new session and
// starts from zero again. Only increases are reported, so a steady audience costs no writes.

export class PeakTracker {
  /** channelId -> the session we track and the highest count already reported for it. */
  private readonly peaks = new Map<string, { session: string; peak: number }>();

  /**
   * Records the current count of a live channel; returns the new peak to persist, or null when
   * nothing needs writing.
   */
  observe(channelId: string, liveSince: string, viewers: number): number | null {
    const known = this.peaks.get(channelId);
    if (!known || known.session !== liveSince) {
      this.peaks.set(channelId, { session: liveSince, peak: viewers });
      return viewers > 0 ? viewers : null;
    }
    if (viewers <= known.peak) return null;
    known.peak = viewers;
    return viewers;
  }

  /** Forgets a channel that went offline. */
  end(channelId: string): void {
    this.peaks.delete(channelId);
  }

  /** Forgets a reported peak whose write failed, so the next observation reports it again. */
  retry(channelId: string, liveSince: string, failedPeak: number): void {
    const known = this.peaks.get(channelId);
    if (known && known.session === liveSince && known.peak === failedPeak) known.peak = failedPeak - 1;
  }
}
