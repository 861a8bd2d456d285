// Cost of one LL-HLS media playlist build (not a test: a measurement to run by hand).
//   node --import tsx media-server/test/hls/playlist-build-throughput.ts
// The server builds the playlist once per new part (5 a second per stream at 200 ms parts) for
// the first request after it; this feeds a store like a live stream (2 s segments of ten 200 ms
// parts, window 7) and times build + serialize + encode after every part.
import { buildMediaPlaylist } from '../../src/hls/playlist-builder.js';
import { serializeMediaPlaylist } from '../../src/hls/playlist.js';
import { SegmentStore } from '../../src/hls/segment-store.js';
import { StreamListings } from '../../src/hls/stream-listings.js';

const store = new SegmentStore({ windowSegments: 7, memorySegments: 2, minimumListedSeconds: () => 6 });
store.addInit(0, new Uint8Array(10));
const settings = { segmentTarget: 2, partTarget: 0.2, id: 'abcdef12' };
// What the server's stream-requests.ts keeps from one build to the next.
const listings = new StreamListings();
const segments = 2000;
let builds = 0;
let elapsed = 0;
for (let msn = 0; msn < segments; msn++) {
  store.startSegment(0, false, new Date(msn * 2000));
  for (let part = 0; part < 10; part++) {
    store.addPart(new Uint8Array(16), 0.2 + (part % 3) * 0.00011, part === 0);
    const start = performance.now();
    Buffer.from(serializeMediaPlaylist(buildMediaPlaylist(store, settings, 'full', false, listings)));
    // The first 100 segments warm the JIT up.
    if (msn >= 100) {
      elapsed += performance.now() - start;
      builds++;
    }
  }
  store.endSegment(2.00033);
}
console.log(`${builds} playlist builds, ${((elapsed * 1000) / builds).toFixed(1)} µs each`);
