import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TooManyViewersError, ViewerPresence } from '../../../lib/live/presence.js';
import { manualClock } from '../../helpers/clock';

describe('ViewerPresence', () => {
  it('counts one viewer per connection and drops them when they leave', () => {
    const presence = new ViewerPresence({ clock: manualClock() });
    const a = presence.join('c1');
    const b = presence.join('c1');
    presence.join('c2');
    assert.equal(presence.count('c1'), 2);
    assert.equal(presence.count('c2'), 1);
    assert.equal(presence.count('nobody'), 0);
    a.leave();
    a.leave(); // a second leave (abort + cancel both firing) must not remove someone else
    assert.equal(presence.count('c1'), 1);
    b.leave();
    assert.equal(presence.count('c1'), 0);
  });

  it('expires connections whose lease was not renewed', () => {
    const clock = manualClock(1_000);
    const presence = new ViewerPresence({ clock, leaseMs: 60_000 });
    const alive = presence.join('c1');
    presence.join('c1'); // never touched: a connection a proxy kept open after the tab went away
    clock.advance(45_000);
    alive.touch();
    clock.advance(30_000);
    assert.equal(presence.sweep(), 1);
    assert.equal(presence.count('c1'), 1);
    clock.advance(61_000);
    assert.equal(presence.sweep(), 1);
    assert.equal(presence.count('c1'), 0);
  });

  it('a touch after expiry does not bring a viewer back', () => {
    const clock = manualClock();
    const presence = new ViewerPresence({ clock, leaseMs: 10 });
    const viewer = presence.join('c1');
    clock.advance(11);
    presence.sweep();
    viewer.touch();
    assert.equal(presence.count('c1'), 0);
  });

  it('bounds the viewers per channel', () => {
    const presence = new ViewerPresence({ clock: manualClock(), maxPerChannel: 2 });
    presence.join('c1');
    presence.join('c1');
    assert.throws(() => presence.join('c1'), TooManyViewersError);
    assert.equal(presence.count('c1'), 2);
  });

  it('counts at most perAddress connections from one address per channel', () => {
    const clock = manualClock();
    const presence = new ViewerPresence({ clock, perAddress: 3, leaseMs: 60_000 });
    const flood = Array.from({ length: 50 }, () => presence.join('c1', '203.0.113.9'));
    assert.equal(presence.count('c1'), 3, '50 tabs from one address count as 3');
    const other = presence.join('c1', '2001:db8:1:2::/64');
    assert.equal(presence.count('c1'), 4);
    presence.join('c2', '203.0.113.9');
    assert.equal(presence.count('c2'), 1, 'the cap is per channel');
    // Closing the extra connections does not change the count until fewer than the cap remain.
    flood.slice(0, 47).forEach((viewer) => viewer.leave());
    assert.equal(presence.count('c1'), 4);
    flood[47]?.leave();
    assert.equal(presence.count('c1'), 3);
    flood.slice(48).forEach((viewer) => viewer.leave());
    other.leave();
    assert.equal(presence.count('c1'), 0);
    // Expired leases go the same way.
    for (let i = 0; i < 5; i++) presence.join('c3', '198.51.100.1');
    clock.advance(60_001);
    assert.equal(presence.sweep(), 6, 'the five plus c2');
    assert.equal(presence.count('c3'), 0);
  });
});
