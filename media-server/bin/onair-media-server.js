#!/usr/bin/env -S node --initial-old-space-size=24 --single-threaded-gc --max-semi-space-size=8
// Runs the compiled server (npm run build -w @onair/media-server produces dist/).
//
// The V8 flags in the first line are part of how the server runs (npm start and the benchmark read
// them from here, scripts/lib/media-server-node-flags.mjs). V8 cannot take them after startup, so
// `node bin/onair-media-server.js` runs without them: correct, only costlier in memory and CPU.
// --single-threaded-gc: no parallel GC threads competing with ingest on a small machine.
// --max-semi-space-size=8 (MB): half V8's 16 MB default per semi-space, the most a flood of short
// requests can grow it to. 2 MB cost the server a third of its CPU in scavenges at 500 LL-HLS
// viewers (bench section 6: 40 % of a core, 28-32 % at 8 MB); a looping refused client, which
// grew the young generation to its limit, is now slowed down (--hls-refusal-delay-ms).
// --initial-old-space-size=24 (MB): the first full GC comes after 24 MB of old objects, not V8's
// default limit, so what a connection flood promotes is collected before it adds 50 MB to RSS.
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
