import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendGate, type SendAttempt } from '../../../lib/chat/send-gate';
import { CHAT_DUPLICATE_WINDOW_MS } from '../../../lib/chat/limits';
import { manualClock } from '../../helpers/clock';

const attempt = (text: string, over: Partial<SendAttempt> = {}): SendAttempt => ({
  userId: 'u1', channelId: 'c1', text, slowModeSeconds: 0, exemptFromSlowMode: false, ...over,
});

describe('chat send gate', () => {
  it('rate limit: N messages per window per user, then 429 with the time left; other users unaffected', () => {
    const clock = manualClock(1_000);
    const gate = new SendGate({ clock, rateLimit: 3, rateWindowMs: 10_000 });
    for (let i = 0; i < 3; i++) assert.equal(gate.admit(attempt(`m${i}`)), null);
    clock.advance(4_000);
    assert.deepEqual(gate.admit(attempt('m3')), { kind: 'rate-limited', retryAfterMs: 6_000 });
    assert.equal(gate.admit(attempt('m3', { userId: 'u2' })), null);
    clock.advance(6_000);
    assert.equal(gate.admit(attempt('m4')), null, 'a new window');
  });

  it('the rate limit counts across channels (it is per user)', () => {
    const gate = new SendGate({ clock: manualClock(), rateLimit: 2, rateWindowMs: 10_000 });
    assert.equal(gate.admit(attempt('a', { channelId: 'c1' })), null);
    assert.equal(gate.admit(attempt('b', { channelId: 'c2' })), null);
    assert.equal(gate.admit(attempt('c', { channelId: 'c3' }))?.kind, 'rate-limited');
  });

  it('slow mode: one message per N seconds per user and channel; the exempt skip it', () => {
    const clock = manualClock();
    const gate = new SendGate({ clock });
    const slow = { slowModeSeconds: 30 };
    assert.equal(gate.admit(attempt('first', slow)), null);
    clock.advance(10_000);
    assert.deepEqual(gate.admit(attempt('second', slow)), { kind: 'slow-mode', retryAfterMs: 20_000 });
    assert.equal(gate.admit(attempt('elsewhere', { ...slow, channelId: 'c2' })), null, 'another channel');
    assert.equal(gate.admit(attempt('mod', { ...slow, userId: 'owner', exemptFromSlowMode: true })), null);
    assert.equal(gate.admit(attempt('mod again', { ...slow, userId: 'owner', exemptFromSlowMode: true })), null, 'owner/moderator/admin');
    clock.advance(20_000);
    assert.equal(gate.admit(attempt('second', slow)), null);
  });

  it('a refused message does not count for slow mode', () => {
    const clock = manualClock();
    const gate = new SendGate({ clock, rateLimit: 1, rateWindowMs: 60_000 });
    assert.equal(gate.admit(attempt('a', { slowModeSeconds: 5 })), null);
    clock.advance(5_000);
    assert.equal(gate.admit(attempt('b', { slowModeSeconds: 5 }))?.kind, 'rate-limited');
    clock.advance(55_000);
    assert.equal(gate.admit(attempt('b', { slowModeSeconds: 5 })), null, 'slow mode measured from the last ACCEPTED message');
  });

  it('duplicate damping: the same text again within the window is refused, case and spacing aside', () => {
    const clock = manualClock();
    const gate = new SendGate({ clock });
    assert.equal(gate.admit(attempt('Hello there')), null);
    assert.deepEqual(gate.admit(attempt('hello   THERE')), { kind: 'duplicate' });
    assert.equal(gate.admit(attempt('hello there', { userId: 'u2' })), null, 'another user may say it');
    assert.equal(gate.admit(attempt('something else')), null);
    clock.advance(CHAT_DUPLICATE_WINDOW_MS);
    assert.equal(gate.admit(attempt('hello there')), null, 'after the window');
  });

  it('memory stays bounded by maxUsers', () => {
    const gate = new SendGate({ clock: manualClock(), maxUsers: 10, rateLimit: 100 });
    for (let i = 0; i < 50; i++) gate.admit(attempt('x', { userId: `u${i}` }));
    // The oldest users were forgotten: their duplicate is no longer remembered.
    assert.equal(gate.admit(attempt('x', { userId: 'u0' })), null);
    assert.deepEqual(gate.admit(attempt('x', { userId: 'u49' })), { kind: 'duplicate' });
  });
});
