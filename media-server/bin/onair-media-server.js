#!/usr/bin/env -S node --initial-old-space-size=48 --single-threaded-gc --max-semi-space-size=2
// Runs the compiled server (npm run build -w @onair/media-server produces dist/).
//
// The V8 flags in the first line are part of how the server is meant to run (npm start and the
// benchmark read them from here, scripts/lib/media-server-node-flags.mjs). Without them V8 ran
// about one full mark-compact a second far below its old-generation limit, and on 2 cores the
// parallel GC helper threads cost more in wake-ups than they saved. Measured with
// media-server/test/integration/ingest-load.ts (50 publishers, one LL-HLS viewer each, two
// alternating runs each) on an Intel Xeon: 33.2 / 31.0 -> 25.7 / 25.0 % of one core, RSS 218 ->
// 221-225 MB. On an AMD EPYC the gain was smaller: `npm run bench` at 50 streams, 2-3 runs each,
// 50.0 % (median, the build before) -> 46.7 % with these flags and the hand-written HTTP stack of that time
// (since replaced by node:http again) together. They
// cannot be set from inside the process (v8.setFlagsFromString('--single-threaded-gc') after
// startup crashes V8 under load), so `node bin/onair-media-server.js` runs without them: correct,
// only costlier. --max-semi-space-size=2 (MB) keeps V8's young generation small: a flood of short
// requests grew it to its 16 MB default per semi-space and RSS stayed there after the flood (bench
// hostile phase).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
