#!/usr/bin/env -S node --initial-old-space-size=48 --single-threaded-gc
// Runs the compiled server (npm run build -w @onair/media-server produces dist/).
//
// The V8 flags in the first line are part of how the server is meant to run (npm start and the
// benchmark read them from here, scripts/lib/media-server-node-flags.mjs). Measured with 50
// publishers and one LL-HLS viewer each (bench/README.md): without them V8 ran about one full
// mark-compact a second, started well below the old-generation limit of its small starting heap,
// and the parallel GC helper threads cost more in wake-ups on 2 cores than they saved; with them
// the server uses about a fifth less CPU for ~5 MB more RSS. They cannot be set from inside the
// process (v8.setFlagsFromString('--single-threaded-gc') after startup crashes V8 under load), so
// `node bin/onair-media-server.js` runs without them: correct, only costlier.
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
