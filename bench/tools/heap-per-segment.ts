// Development aid, not part of any phase: what one more segment of a long recorded broadcast costs
// the media server's heap, measured on its own sources (no server, no disk but a temp folder):
//   node --expose-gc --import tsx bench/tools/heap-per-segment.ts [segments]
// - "listed": a recorded stream's segment store, every segment kept listed (rewind while live),
//   with a delta playlist built after each segment and a full one now and then, as players
//   cause, keeping what the server's stream-requests.ts keeps between builds (StreamListings);
//   the cost per listed segment behind --record-rewind-hours, and what one full playlist of them
//   takes to make: from scratch, and as the server makes it after a change (a new part).
// - "half listed, half retired": the same, for a broadcast on the air longer than its rewind.
// - "recording": recordings/recording.ts writing segments (8-byte ones) and its index.m3u8.
// Each: heap used after a full GC, before and after adding the segments, per segment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadBudget } from '../../media-server/src/hls/read-budget.js';
import { buildMediaPlaylist, type PlaylistSettings } from '../../media-server/src/hls/playlist-builder.js';
import { serializeMediaPlaylist } from '../../media-server/src/hls/playlist.js';
import { SegmentStore } from '../../media-server/src/hls/segment-store.js';
import { StreamListings } from '../../media-server/src/hls/stream-listings.js';
import { createMemoryLogger } from '../../media-server/src/logger.js';
import { RecordDoneNotifier } from '../../media-server/src/recordings/record-done.js';
import { Recording } from '../../media-server/src/recordings/recording.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const count = Number(process.argv[2] ?? 5000);

async function heapPerSegment(add: (from: number, n: number) => Promise<void> | void): Promise<number> {
  await add(0, 200); // warm-up: code, caches, first-time allocations
  gc!();
  const before = process.memoryUsage().heapUsed;
  await add(200, count);
  gc!();
  return (process.memoryUsage().heapUsed - before) / count;
}

const settings: PlaylistSettings = { segmentTarget: 2, partTarget: 0.2, id: 'abc' };
const part = new Uint8Array(16);

/** A recorded stream's store and what its playlist builds keep, fed like the server feeds them. */
function recordedStream(rewindSeconds: number) {
  const store = new SegmentStore({ windowSegments: 7, memorySegments: 2, minimumListedSeconds: () => 6, rewindSeconds: () => rewindSeconds });
  store.addInit(0, new Uint8Array(16));
  const listings = new StreamListings();
  const add = (from: number, n: number) => {
    for (let msn = from; msn < from + n; msn++) {
      const segment = store.startSegment(0, false, new Date(msn * 2000));
      for (let index = 0; index < 10; index++) store.addPart(part, 0.2, index === 0);
      store.endSegment(2);
      store.markOnDisk(segment);
      serializeMediaPlaylist(buildMediaPlaylist(store, settings, 'delta', false, listings));
      if (msn % 50 === 0) serializeMediaPlaylist(buildMediaPlaylist(store, settings, 'full', false, listings));
      // Hours of a server's life have full GCs now and then; without them this loop would keep
      // the weak caches' dead entries (and their tables) to the end, in proportion to its length.
      if (msn % 500 === 0) gc!();
    }
  };
  return { store, listings, add };
}

const { store, listings, add } = recordedStream(Number.POSITIVE_INFINITY);
const listed = await heapPerSegment(add);
// A broadcast on the air for longer than its rewind: a segment that leaves the playlist stays
// servable (retired) for as long as the playlist it left lasts, so as many are retired as
// listed. The rewind here is half of the segments fed.
const steady = recordedStream(count);
const listedThenRetired = await heapPerSegment(steady.add);
const fullPlaylistBytes = Buffer.byteLength(serializeMediaPlaylist(buildMediaPlaylist(store, settings, 'full', false)));
// What one full playlist of this many listed segments takes to make (as a request after a
// playlist change does): build, then text and bytes; the median of 25 after 5 to warm up.
store.startSegment(0, false, new Date((200 + count) * 2000));
const builds: number[] = [];
const texts: number[] = [];
const kept: number[] = [];
for (let round = 0; round < 30; round++) {
  store.addPart(part, 0.2, round === 0);
  const started = performance.now();
  const playlist = buildMediaPlaylist(store, settings, 'full', false);
  const built = performance.now();
  Buffer.from(serializeMediaPlaylist(playlist));
  const written = performance.now();
  Buffer.from(serializeMediaPlaylist(buildMediaPlaylist(store, settings, 'full', false, listings)));
  if (round >= 5) {
    builds.push(built - started);
    texts.push(written - built);
    kept.push(performance.now() - written);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'onair-heap-per-segment-'));
try {
  const logger = createMemoryLogger();
  const recording = new Recording({
    recordDir: dir,
    app: 'live',
    name: 'chan',
    broadcastId: 'abcdef0123',
    segmentTarget: 2,
    minFreeBytes: 0,
    writeBudget: new ReadBudget(64 << 20),
    notifier: new RecordDoneNotifier({ url: undefined, timeoutMs: 1000, logger, retryDelaysMs: [] }),
    logger,
    now: () => 0,
    onStopped: () => undefined,
  });
  const chunk = new Uint8Array(8);
  const recorded = await heapPerSegment(async (from, n) => {
    for (let msn = from; msn < from + n; msn++) await recording.addSegment({ msn, initId: 0, discontinuity: false, programDateTime: new Date(msn * 2000), duration: 2, chunks: [chunk], size: chunk.length });
  });
  console.log(`${count} segments of 2 s after 200:`);
  console.log(`  listed (rewind while live): ${Math.round(listed)} bytes of heap per segment; full playlist ${(fullPlaylistBytes / store.segments.length).toFixed(0)} bytes per segment`);
  console.log(`  half listed, half retired (a broadcast longer than its rewind): ${Math.round(listedThenRetired)} bytes of heap per segment`);
  console.log(`  a full playlist of ${store.segments.length} segments made from scratch (nothing kept): build ${median(builds).toFixed(2)} ms, text ${median(texts).toFixed(2)} ms`);
  console.log(`  the same after a new part, its settled segments kept (as the server makes it): ${median(kept).toFixed(2)} ms`);
  console.log(`  recording: ${Math.round(recorded)} bytes of heap per segment`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
