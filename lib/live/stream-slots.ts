// Every event stream (watch page, embed, pop-out chat) holds one of its client address's slots
// across all channels (EVENT_STREAMS_PER_ADDRESS) until it ends: one stranger cannot hold
// thousands of streams open, each with its queue and subscriptions, nor fill a channel's
// viewer limit alone.
import { AppError } from '../errors';
import { ALL_CHANNELS, type AddressSlots } from './address-slots';

/** One of the address's slots; a 503 AppError when it already holds all of them. */
export function takeStreamSlot(slots: AddressSlots, address: string): () => void {
  const release = slots.take(ALL_CHANNELS, address);
  if (!release) throw new AppError('service_unavailable', 'Too many live connections from your address.', { retryAfterSeconds: 30 });
  return release;
}

/** What `open` makes (a stream holding `release` until it ends); `release` runs at once when `open` throws. */
export function holdingSlot<T>(release: () => void, open: (onEnd: () => void) => T): T {
  try {
    return open(release);
  } catch (error) {
    release();
    throw error;
  }
}
