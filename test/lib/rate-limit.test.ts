import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAuthRateLimiters, consumeSignIn, createRateLimiter, rateLimitMessage, SIGN_IN_WINDOW_MS } from '../../lib/rate-limit';
import { manualClock } from '../helpers/clock';

const START = 1_000_000;

describe('rate limiter', () => {
  it('allows `limit` hits per window, then refuses with the time left', () => {
    const clock = manualClock(START);
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock });
    assert.deepEqual([1, 2, 3].map(() => limiter.consume('ip:1').ok), [true, true, true]);
    clock.advance(10_000);
    const refused = limiter.consume('ip:1');
    assert.equal(refused.ok, false);
    assert.equal(refused.retryAfterMs, 50_000);
    assert.equal(limiter.consume('ip:2').ok, true, 'other keys are independent');
  });

  it('opens again when the window has passed', () => {
    const clock = manualClock(START);
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, clock });
    assert.equal(limiter.consume('k').ok, true);
    assert.equal(limiter.consume('k').ok, false);
    clock.advance(1000);
    assert.equal(limiter.consume('k').ok, true);
  });

  it('reset() forgets a key', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, clock: manualClock(START) });
    limiter.consume('k');
    limiter.reset('k');
    assert.equal(limiter.consume('k').ok, true);
  });

  it('keeps at most maxKeys windows: a flood of new keys is refused, never evicts a limited key', () => {
    const clock = manualClock(START);
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock, maxKeys: 100 });
    for (let i = 0; i < 4; i++) limiter.consume('user:alice');
    assert.equal(limiter.consume('user:alice').ok, false, 'alice is limited');
    clock.advance(1_000);
    // The attacker's flood: far more distinct keys than the map holds.
    let refusedNew = 0;
    for (let i = 0; i < 10_000; i++) if (!limiter.consume(`user:junk${i}`).ok) refusedNew++;
    assert.ok(limiter.size() <= 100, `size ${limiter.size()}`);
    assert.equal(refusedNew, 10_000 - 99, 'new keys beyond the bound are refused (fail closed)');
    assert.equal(limiter.consume('user:alice').ok, false, 'alice is still limited after the flood');
    // Once windows end, their entries go and new keys are accepted again.
    clock.advance(60_000);
    assert.equal(limiter.consume('user:newcomer').ok, true);
    assert.equal(limiter.consume('user:alice').ok, true, 'alice\'s window ended too');
  });

  it('a refused new key is told when a slot frees up', () => {
    const clock = manualClock(START);
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock, maxKeys: 1 });
    limiter.consume('a');
    clock.advance(20_000);
    const refused = limiter.consume('b');
    assert.equal(refused.ok, false);
    assert.equal(refused.retryAfterMs, 40_000);
  });

  it('limits sign-in per username whatever the address, and per address whatever the username', () => {
    const clock = manualClock(START);
    const limiters = buildAuthRateLimiters({}, clock);
    const results = Array.from({ length: 30 }, (_, i) => consumeSignIn(limiters, { clientKey: `203.0.113.${i}`, username: 'Alice' }));
    assert.equal(results.filter((r) => r.ok).length, 10, '10 tries per username per window');
    assert.equal(results.at(-1)?.scope, 'username');
    // Case does not make a new username.
    assert.equal(consumeSignIn(limiters, { clientKey: '198.51.100.1', username: 'ALICE' }).ok, false);
    const fromOne = Array.from({ length: 12 }, (_, i) => consumeSignIn(limiters, { clientKey: '198.51.100.7', username: `user${i}` }));
    assert.equal(fromOne.filter((r) => r.ok).length, 10, '10 tries per address per window');
    assert.equal(fromOne.at(-1)?.scope, 'address');
    // The owner is not locked out for longer than the window.
    clock.advance(SIGN_IN_WINDOW_MS);
    assert.equal(consumeSignIn(limiters, { clientKey: '192.0.2.1', username: 'alice' }).ok, true);
  });

  it('refuses nonsense configuration', () => {
    assert.throws(() => createRateLimiter({ limit: 0, windowMs: 1000 }), RangeError);
    assert.throws(() => createRateLimiter({ limit: 1, windowMs: 0 }), RangeError);
  });

  it('writes a clear 429 message', () => {
    assert.equal(rateLimitMessage('sign-in', 42_100), 'Too many sign-in attempts from your address (429). Try again in 43 seconds.');
    assert.equal(rateLimitMessage('sign-up', 30 * 60_000), 'Too many sign-up attempts from your address (429). Try again in 30 minutes.');
    assert.equal(rateLimitMessage('sign-in', 1_000, 'username'), 'Too many sign-in attempts for this username (429). Try again in 1 seconds.');
  });
});
