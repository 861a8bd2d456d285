import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../lib/errors';
import { ALL_CHANNELS, AddressSlots } from '../../../lib/live/address-slots';
import { holdingSlot, takeStreamSlot } from '../../../lib/live/stream-slots';

describe('event stream slots per address, all channels together', () => {
  it('gives an address its cap of slots, then a 503 AppError; a released slot is free again', () => {
    const slots = new AddressSlots({ perAddress: 2 });
    const first = takeStreamSlot(slots, '203.0.113.7');
    takeStreamSlot(slots, '203.0.113.7');
    assert.throws(
      () => takeStreamSlot(slots, '203.0.113.7'),
      (error: unknown) => error instanceof AppError && error.status === 503 && !error.message.includes('203.0.113.7'),
    );
    assert.ok(takeStreamSlot(slots, '203.0.113.8'), 'another address has its own');
    first();
    assert.ok(takeStreamSlot(slots, '203.0.113.7'));
    assert.equal(slots.count(ALL_CHANNELS, '203.0.113.7'), 2);
  });

  it('holdingSlot hands the release to the stream, or releases at once when opening throws', () => {
    const slots = new AddressSlots({ perAddress: 1 });
    let onEnd: (() => void) | undefined;
    const stream = holdingSlot(takeStreamSlot(slots, 'a'), (release) => {
      onEnd = release;
      return 'stream';
    });
    assert.equal(stream, 'stream');
    assert.equal(slots.count(ALL_CHANNELS, 'a'), 1, 'held while the stream is open');
    onEnd?.();
    assert.equal(slots.count(ALL_CHANNELS, 'a'), 0, 'released when it ends');

    assert.throws(() =>
      holdingSlot(takeStreamSlot(slots, 'a'), () => {
        throw new Error('channel is full');
      }),
    /channel is full/);
    assert.equal(slots.count(ALL_CHANNELS, 'a'), 0, 'released when opening failed');
  });
});
