// The in-memory checks a message passes before it is stored: the per-user rate limit, the
// channel's slow mode, and duplicate damping. Process-local like lib/rate-limit.ts (one web
// process today; a shared bus would not change this, each process limits its own senders).
// Memory is bounded: entries are keyed by signed-in user, and each map drops its oldest entry
// past `maxUsers`.
import type { Clock } from '../clock';
import { createRateLimiter, type RateLimiter } from '../rate-limit';
import {
  CHAT_DUPLICATE_MEMORY,
  CHAT_DUPLICATE_WINDOW_MS,
  CHAT_RATE_LIMIT,
  CHAT_RATE_WINDOW_MS,
} from './limits';
import { duplicateKey } from './text';

export type GateRefusal =
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  | { readonly kind: 'slow-mode'; readonly retryAfterMs: number }
  | { readonly kind: 'duplicate' };

export interface SendAttempt {
  readonly userId: string;
  readonly channelId: string;
  readonly text: string;
  /** Seconds between two messages of one user in this channel; 0 = off. */
  readonly slowModeSeconds: number;
  /** The owner, moderators and admins skip slow mode (never the rate limit). */
  readonly exemptFromSlowMode: boolean;
}

export interface SendGateOptions {
  readonly clock: Clock;
  readonly rateLimit?: number;
  readonly rateWindowMs?: number;
  readonly maxUsers?: number;
}

export class SendGate {
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly maxUsers: number;
  /** `${channelId} ${userId}` -> when their last message was accepted. */
  private readonly lastSent = new Map<string, number>();
  /** `${channelId} ${userId}` -> their recent messages (duplicate keys and times), newest last. */
  private readonly recent = new Map<string, { key: string; at: number }[]>();

  constructor(options: SendGateOptions) {
    this.clock = options.clock;
    this.maxUsers = options.maxUsers ?? 50_000;
    this.limiter = createRateLimiter({
      limit: options.rateLimit ?? CHAT_RATE_LIMIT,
      windowMs: options.rateWindowMs ?? CHAT_RATE_WINDOW_MS,
      clock: options.clock,
    });
  }

  /** Checks without counting: slow mode, then duplicates. Null when the message may go on to the rate limit. */
  private check(attempt: SendAttempt): GateRefusal | null {
    const now = this.clock.now();
    const key = `${attempt.channelId} ${attempt.userId}`;
    if (attempt.slowModeSeconds > 0 && !attempt.exemptFromSlowMode) {
      const last = this.lastSent.get(key);
      const readyAt = last === undefined ? 0 : last + attempt.slowModeSeconds * 1000;
      if (now < readyAt) return { kind: 'slow-mode', retryAfterMs: readyAt - now };
    }
    const textKey = duplicateKey(attempt.text);
    const recent = this.recent.get(key) ?? [];
    if (recent.some((entry) => entry.key === textKey && now - entry.at < CHAT_DUPLICATE_WINDOW_MS)) return { kind: 'duplicate' };
    return null;
  }

  /**
   * The whole gate for one attempt: check(), then the rate limit (which counts the attempt), then,
   * when it passes, the message is recorded for slow mode and duplicates in the same synchronous
   * step, so two requests racing each other cannot both slip through. Null: send it.
   */
  admit(attempt: SendAttempt): GateRefusal | null {
    const refusal = this.check(attempt);
    if (refusal) return refusal;
    const rate = this.limiter.consume(attempt.userId);
    if (!rate.ok) return { kind: 'rate-limited', retryAfterMs: rate.retryAfterMs };
    this.record(attempt);
    return null;
  }

  private record(attempt: SendAttempt): void {
    const now = this.clock.now();
    const key = `${attempt.channelId} ${attempt.userId}`;
    remember(this.lastSent, key, now, this.maxUsers);
    const recent = (this.recent.get(key) ?? []).filter((entry) => now - entry.at < CHAT_DUPLICATE_WINDOW_MS);
    recent.push({ key: duplicateKey(attempt.text), at: now });
    remember(this.recent, key, recent.slice(-CHAT_DUPLICATE_MEMORY), this.maxUsers);
  }
}

/** Sets key to value as the newest entry, dropping the oldest entry beyond `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
