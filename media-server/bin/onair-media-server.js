#!/usr/bin/env -S node --initial-old-space-size=48 --single-threaded-gc --max-semi-space-size=2
// Runs the compiled server (npm run build -w @onair/media-server produces dist/).
//
// The V8 flags in the first line are part of how the server runs (npm start and the benchmark read
// them from here, scripts/lib/media-server-node-flags.mjs): fewer full GCs and no parallel GC
// threads cost less CPU per stream on small machines. V8 cannot take them after startup, so
// `node bin/onair-media-server.js` runs without them: correct, only costlier.
// --max-semi-space-size=2 (MB) keeps the young generation small: a flood of short requests grew
// it to the 16 MB default per semi-space and RSS stayed there after the flood.
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
