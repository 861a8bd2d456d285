import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveStream } from '../../src/hls/live-stream.js';
import { createMemoryLogger } from '../../src/logger.js';
import { SyntheticPublisher } from './helpers/service-harness.js';

function stream() {
  return new LiveStream({
    app: 'live',
    name: 'demo',
    id: 'abc',
    segmentDurationMs: 1000,
    partDurationMs: 500,
    windowSegments: 4,
    maxSegmentBytes: 1_000_000,
    endGraceMs: 60_000,
    logger: createMemoryLogger(),
    clock: { now: () => 0 },
    onRemoved: () => undefined,
  });
}

describe('hls live stream: held requests', () => {
  it('a client that hangs up leaves no waiter behind', async () => {
    const live = stream();
    new SyntheticPublisher(live.attach({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(20);
    const hangUp = new AbortController();
    let signalsMade = 0;
    const signalOf = () => {
      signalsMade++;
      return hangUp.signal;
    };
    assert.equal((await live.mediaPlaylist({ msn: 0, part: 0, skip: false }, signalOf)).status, 200);
    assert.equal(signalsMade, 0, 'a request answered at once never asks for its hang-up signal');
    const held = live.mediaPlaylist({ msn: 0, part: 3, skip: false }, signalOf);
    const part = live.part(1, signalOf); // the preload-hinted part
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(live.heldRequests, 2);
    hangUp.abort();
    assert.equal((await held).status, 503);
    assert.equal(await part, undefined);
    assert.equal(live.heldRequests, 0);
    live.remove();
  });

  it('removal answers every held request', async () => {
    const live = stream();
    const held = live.mediaPlaylist({ skip: false }); // no media yet: held until the first part
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(live.heldRequests, 1);
    live.remove();
    assert.equal((await held).status, 404);
    assert.equal(live.heldRequests, 0);
  });
});
