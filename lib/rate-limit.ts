// Fixed-window rate limiter keyed by client (IP). Process-local on purpose: OnAir runs as one
// web process; the clock is injected so tests do not sleep. Memory is bounded by `maxKeys`.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface RateLimitResult {
  ok: boolean;
  remaining: number;
  /** Milliseconds until the current window ends (0 when ok). */
  retryAfterMs: number;
}

export interface RateLimiter {
  consume(key: string): RateLimitResult;
  reset(key: string): void;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  clock?: Clock;
  maxKeys?: number;
}

export function createRateLimiter({ limit, windowMs, clock = systemClock, maxKeys = 10_000 }: RateLimiterOptions): RateLimiter {
  if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('limit must be >= 1 and windowMs > 0');
  // Map keeps insertion order: the first entries are the oldest windows, evicted first.
  const windows = new Map<string, { start: number; count: number }>();

  return {
    consume(key) {
      const now = clock.now();
      let entry = windows.get(key);
      if (!entry || now - entry.start >= windowMs) {
        windows.delete(key);
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next();
          if (!oldest.done) windows.delete(oldest.value);
        }
        entry = { start: now, count: 0 };
        windows.set(key, entry);
      }
      entry.count += 1;
      if (entry.count > limit) return { ok: false, remaining: 0, retryAfterMs: entry.start + windowMs - now };
      return { ok: true, remaining: limit - entry.count, retryAfterMs: 0 };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}

export interface AuthRateLimiters {
  signIn: RateLimiter;
  signUp: RateLimiter;
}

// Next.js may evaluate this module once per server bundle (route handlers, server actions), so the
// process's one pair of limiters is kept under a registered symbol, the way lib/db.ts keeps its client.
const LIMITERS = Symbol.for('onair.auth-rate-limiters');
const holder = globalThis as typeof globalThis & { [LIMITERS]?: AuthRateLimiters };

/**
 * The web process's limiters: sign-in SIGNIN_RATE_LIMIT attempts (default 10) per IP per
 * 5 minutes, sign-up SIGNUP_RATE_LIMIT accounts (default 10) per IP per hour.
 */
export function authRateLimiters(env: Record<string, string | undefined> = process.env): AuthRateLimiters {
  holder[LIMITERS] ??= {
    signIn: createRateLimiter({ limit: positiveInt(env.SIGNIN_RATE_LIMIT, 10), windowMs: 5 * 60_000 }),
    signUp: createRateLimiter({ limit: positiveInt(env.SIGNUP_RATE_LIMIT, 10), windowMs: 60 * 60_000 }),
  };
  return holder[LIMITERS];
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : fallback;
}

export function rateLimitMessage(action: string, retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many ${action} attempts from your address (429). Try again in ${wait}.`;
}
