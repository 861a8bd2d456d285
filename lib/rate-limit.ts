// Fixed-window rate limiters for sign-in and sign-up. Process-local on purpose: OnAir runs as one
// web process; the clock is injected so tests do not sleep.
//
// Memory is bounded by `maxKeys`, and a flood of new keys must not be a way to erase the state of
// keys that are being limited (otherwise an attacker sends 10,000 junk usernames, then guesses on).
// So an entry is only ever dropped when its window has ended (it no longer limits anything); when
// the map is full of live windows, a NEW key is refused until some window ends: failing closed for
// unknown keys costs a legitimate newcomer at most one window, failing open would lift every limit.
import { systemClock, type Clock } from './clock';

export interface RateLimitResult {
  ok: boolean;
  remaining: number;
  /** Milliseconds until the key may try again (0 when ok). */
  retryAfterMs: number;
}

export interface RateLimiter {
  consume(key: string): RateLimitResult;
  reset(key: string): void;
  /** Keys currently held (for tests and bounds). */
  size(): number;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  clock?: Clock;
  maxKeys?: number;
}

/** Longest key kept; keys are built from bounded parts, this is the backstop. */
const MAX_KEY_LENGTH = 128;

export function createRateLimiter({ limit, windowMs, clock = systemClock, maxKeys = 20_000 }: RateLimiterOptions): RateLimiter {
  if (!(limit >= 1) || !(windowMs > 0) || !(maxKeys >= 1)) throw new RangeError('limit and maxKeys must be >= 1 and windowMs > 0');
  const windows = new Map<string, { start: number; count: number }>();
  // No purge can free anything before this time (the earliest window end seen at the last purge),
  // so a flood against a full map costs one comparison per request, not a scan.
  let nextPurgeAt = 0;

  const purgeEnded = (now: number): void => {
    if (now < nextPurgeAt) return;
    let earliestEnd = Infinity;
    for (const [key, entry] of windows) {
      const end = entry.start + windowMs;
      if (end <= now) windows.delete(key);
      else earliestEnd = Math.min(earliestEnd, end);
    }
    nextPurgeAt = earliestEnd;
  };

  return {
    consume(rawKey) {
      const key = rawKey.slice(0, MAX_KEY_LENGTH);
      const now = clock.now();
      let entry = windows.get(key);
      if (entry && now - entry.start >= windowMs) {
        entry.start = now;
        entry.count = 0;
      }
      if (!entry) {
        if (windows.size >= maxKeys) purgeEnded(now);
        if (windows.size >= maxKeys) return { ok: false, remaining: 0, retryAfterMs: Math.max(1, nextPurgeAt - now) };
        entry = { start: now, count: 0 };
        windows.set(key, entry);
      }
      entry.count += 1;
      if (entry.count > limit) return { ok: false, remaining: 0, retryAfterMs: entry.start + windowMs - now };
      return { ok: true, remaining: limit - entry.count, retryAfterMs: 0 };
    },
    reset(key) {
      windows.delete(key.slice(0, MAX_KEY_LENGTH));
    },
    size: () => windows.size,
  };
}

export interface AuthRateLimiters {
  /** Sign-in attempts per client address (an IPv6 client's /64). */
  signInByAddress: RateLimiter;
  /** Sign-in attempts per username, whatever address they come from. */
  signInByUsername: RateLimiter;
  /** Accounts created per client address. */
  signUpByAddress: RateLimiter;
}

// Next.js may evaluate this module once per server bundle (route handlers, server actions), so the
// process's one set of limiters is kept under a registered symbol, the way lib/db.ts keeps its client.
const LIMITERS = Symbol.for('onair.auth-rate-limiters.v2');
const holder = globalThis as typeof globalThis & { [LIMITERS]?: AuthRateLimiters };

export const SIGN_IN_WINDOW_MS = 5 * 60_000;
export const SIGN_UP_WINDOW_MS = 60 * 60_000;

/**
 * The web process's limiters. Sign-in: SIGNIN_RATE_LIMIT attempts (default 10) per address and
 * SIGNIN_USER_RATE_LIMIT attempts (default 10) per username, per 5 minutes: guessing one
 * password gets at most 10 tries per 5 minutes from the whole internet, and the owner waits at
 * most 5 minutes after the guessing stops. Sign-up: SIGNUP_RATE_LIMIT accounts (default 10) per
 * address per hour.
 */
export function authRateLimiters(env: Record<string, string | undefined> = process.env, clock: Clock = systemClock): AuthRateLimiters {
  holder[LIMITERS] ??= buildAuthRateLimiters(env, clock);
  return holder[LIMITERS];
}

export function buildAuthRateLimiters(env: Record<string, string | undefined>, clock: Clock): AuthRateLimiters {
  return {
    signInByAddress: createRateLimiter({ limit: positiveInt(env.SIGNIN_RATE_LIMIT, 10), windowMs: SIGN_IN_WINDOW_MS, clock }),
    signInByUsername: createRateLimiter({ limit: positiveInt(env.SIGNIN_USER_RATE_LIMIT, 10), windowMs: SIGN_IN_WINDOW_MS, clock }),
    signUpByAddress: createRateLimiter({ limit: positiveInt(env.SIGNUP_RATE_LIMIT, 10), windowMs: SIGN_UP_WINDOW_MS, clock }),
  };
}

/**
 * One sign-in attempt: counted against the client's address, then (if that allows it) against
 * the username. Usernames are case-insensitive, so their key is lower-cased.
 */
export function consumeSignIn(
  limiters: AuthRateLimiters,
  attempt: { clientKey: string; username: string },
): RateLimitResult & { scope: RateLimitScope } {
  const byAddress = limiters.signInByAddress.consume(`ip:${attempt.clientKey}`);
  if (!byAddress.ok) return { ...byAddress, scope: 'address' };
  const username = attempt.username.trim().toLowerCase().slice(0, 64);
  if (username === '') return { ...byAddress, scope: 'address' };
  return { ...limiters.signInByUsername.consume(`user:${username}`), scope: 'username' };
}

export type RateLimitScope = 'address' | 'username';

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : fallback;
}

export function rateLimitMessage(action: string, retryAfterMs: number, scope: RateLimitScope = 'address'): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many ${action} attempts ${scope === 'address' ? 'from your address' : 'for this username'} (429). Try again in ${wait}.`;
}
