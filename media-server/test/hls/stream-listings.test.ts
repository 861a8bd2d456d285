import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMediaPlaylist, type PlaylistSettings, type PlaylistVariant } from '../../src/hls/playlist-builder.js';
import { serializeMediaPlaylist } from '../../src/hls/playlist.js';
import { SegmentStore, type StoredSegment } from '../../src/hls/segment-store.js';
import { SettledSegmentsText } from '../../src/hls/settled-segments.js';
import { StreamListings } from '../../src/hls/stream-listings.js';

const settings: PlaylistSettings = { segmentTarget: 2, partTarget: 0.2, id: 'abc' };

interface Step {
  /** Parts of 0.2 s in the segment. */
  readonly parts: number;
  readonly initId?: number;
  readonly discontinuity?: boolean;
}

/** Feeds `steps` into a store, calling `check` after every part and every segment end. */
function feed(store: SegmentStore, steps: readonly Step[], check: (what: string) => void): void {
  steps.forEach((step, n) => {
    const initId = step.initId ?? 0;
    store.addInit(initId, new Uint8Array(8));
    store.startSegment(initId, step.discontinuity ?? false, new Date(Date.UTC(2026, 11, 5) + n * 2000));
    for (let part = 0; part < step.parts; part++) {
      store.addPart(new Uint8Array(4), 0.2, part === 0);
      check(`segment ${n} part ${part}`);
    }
    store.endSegment(step.parts * 0.2);
    check(`segment ${n} end`);
  });
}

const steady: Step[] = Array.from({ length: 40 }, () => ({ parts: 10 }));
const eventful: Step[] = Array.from({ length: 40 }, (_, n) => ({
  parts: n % 7 === 3 ? 4 : 10,
  initId: n < 12 ? 0 : n < 25 ? 1 : 2,
  discontinuity: n === 12 || n === 25 || n === 31,
}));

describe('what playlist builds keep between builds', () => {
  const cases: ReadonlyArray<{ name: string; steps: Step[]; rewindSeconds: number }> = [
    { name: 'a steady stream within its window', steps: steady, rewindSeconds: 0 },
    { name: 'a steady stream with 30 s of rewind', steps: steady, rewindSeconds: 30 },
    { name: 'new init sections, discontinuities and short segments, with rewind', steps: eventful, rewindSeconds: 24 },
    { name: 'the same, with no rewind', steps: eventful, rewindSeconds: 0 },
  ];
  const variants: PlaylistVariant[] = ['full', 'classic', 'delta'];
  for (const { name, steps, rewindSeconds } of cases) {
    for (const variant of variants) {
      it(`${name}: the ${variant} playlist is the text built from scratch, after every part`, () => {
        const store = new SegmentStore({ windowSegments: 7, memorySegments: 2, minimumListedSeconds: () => 6, rewindSeconds: () => rewindSeconds });
        const listings = new StreamListings();
        let compared = 0;
        feed(store, steps, (what) => {
          if (store.segments.length === 0) return;
          const expected = serializeMediaPlaylist(buildMediaPlaylist(store, settings, variant, false));
          assert.equal(serializeMediaPlaylist(buildMediaPlaylist(store, settings, variant, false, listings)), expected, what);
          compared++;
        });
        store.open = undefined;
        const ended = serializeMediaPlaylist(buildMediaPlaylist(store, settings, variant, true));
        assert.equal(serializeMediaPlaylist(buildMediaPlaylist(store, settings, variant, true, listings)), ended, 'ended');
        assert.ok(compared > 300);
      });
    }
  }

  it('keeps segment listings only within the Skip Boundary, however long the rewind', () => {
    const store = new SegmentStore({ windowSegments: 7, memorySegments: 2, minimumListedSeconds: () => 6, rewindSeconds: () => 1000 });
    const listings = new StreamListings();
    let most = 0;
    feed(store, steady, () => {
      if (store.segments.length === 0) return;
      for (const variant of ['full', 'delta'] as const) {
        buildMediaPlaylist(store, settings, variant, false, listings);
        most = Math.max(most, listings.segmentCount);
      }
    });
    assert.equal(store.segments.length, 40);
    // The Skip Boundary is 6 target durations (12 s): the last 6 segments of 2 s. The first
    // segment of a full playlist is listed for its build only.
    assert.equal(most, 6);
  });

  it('writes each settled segment once, however many builds list it', () => {
    const store = new SegmentStore({ windowSegments: 7, memorySegments: 2, minimumListedSeconds: () => 6, rewindSeconds: () => 1000 });
    const settled = new SettledSegmentsText();
    const written: number[] = [];
    feed(store, steady, () => {
      if (store.segments.length < 2) return;
      settled.of(store.segments, 1, store.segments.length, (segment) => {
        written.push(segment.msn);
        return `${segment.msn}\n`;
      });
    });
    assert.deepEqual(
      written,
      Array.from({ length: 39 }, (_, i) => i + 1),
    );
  });

  it('cuts the segments that left the front, and starts over for a range that does not move forward', () => {
    const segments: StoredSegment[] = Array.from({ length: 10 }, (_, msn) => ({ msn }) as StoredSegment);
    const settled = new SettledSegmentsText();
    const textOf = (segment: StoredSegment, previous: StoredSegment) => `${previous.msn}>${segment.msn};`;
    assert.equal(settled.of(segments, 1, 4, textOf), '0>1;1>2;2>3;');
    assert.equal(settled.of(segments, 3, 6, textOf), '2>3;3>4;4>5;');
    assert.equal(settled.of(segments.slice(2), 1, 3, textOf), '2>3;3>4;', 'same first msn, the end moved back');
    assert.equal(settled.of(segments, 1, 3, textOf), '0>1;1>2;', 'the start moved back');
    assert.equal(settled.of(segments, 8, 10, textOf), '7>8;8>9;', 'past the end of what it had');
    assert.equal(settled.of(segments, 5, 5, textOf), '');
    assert.throws(() => settled.of(segments, 0, 3, textOf), RangeError);
    assert.throws(() => settled.of(segments, 1, 11, textOf), RangeError);
  });
});
