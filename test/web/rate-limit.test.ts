import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter, rateLimitMessage } from '../../lib/rate-limit';

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('rate limiter', () => {
  it('allows `limit` hits per window, then refuses with the time left', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock });
    assert.deepEqual([1, 2, 3].map(() => limiter.consume('ip:1').ok), [true, true, true]);
    clock.advance(10_000);
    const refused = limiter.consume('ip:1');
    assert.equal(refused.ok, false);
    assert.equal(refused.retryAfterMs, 50_000);
    assert.equal(limiter.consume('ip:2').ok, true, 'other keys are independent');
  });

  it('opens again when the window has passed', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, clock });
    assert.equal(limiter.consume('k').ok, true);
    assert.equal(limiter.consume('k').ok, false);
    clock.advance(1000);
    assert.equal(limiter.consume('k').ok, true);
  });

  it('reset() forgets a key', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, clock: manualClock() });
    limiter.consume('k');
    limiter.reset('k');
    assert.equal(limiter.consume('k').ok, true);
  });

  it('keeps at most maxKeys windows (oldest evicted)', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock: manualClock(), maxKeys: 2 });
    limiter.consume('a');
    limiter.consume('b');
    limiter.consume('c'); // evicts a
    assert.equal(limiter.consume('a').ok, true, 'a was evicted, so it starts fresh');
    assert.equal(limiter.consume('c').ok, false);
  });

  it('refuses nonsense configuration', () => {
    assert.throws(() => createRateLimiter({ limit: 0, windowMs: 1000 }), RangeError);
    assert.throws(() => createRateLimiter({ limit: 1, windowMs: 0 }), RangeError);
  });

  it('writes a clear 429 message', () => {
    assert.equal(rateLimitMessage('sign-in', 42_100), 'Too many sign-in attempts from your address (429). Try again in 43 seconds.');
    assert.equal(rateLimitMessage('sign-up', 30 * 60_000), 'Too many sign-up attempts from your address (429). Try again in 30 minutes.');
  });
});
