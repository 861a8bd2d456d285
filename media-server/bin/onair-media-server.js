#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --initial-old-space-size=24 --single-threaded-gc --max-semi-space-size=1
// Runs the compiled server (npm run build -w @onair/media-server produces dist/).
//
// The V8 flags and the environment in the first line are part of how the server runs (npm start and
// the benchmark read them from here, scripts/lib/media-server-node-flags.mjs). Neither can be set
// after startup, so `node bin/onair-media-server.js` runs without them: correct, only costlier in
// memory and CPU.
// --single-threaded-gc: no parallel GC threads competing with ingest on a small machine.
// --max-semi-space-size=1 (MB): V8 grows its young generation (up to 16 MB per semi-space by
// default) once enough has survived its scavenges; any flood of requests makes it grow, and the
// memory stays until a quiet full GC. At 1 MB a reload flood raised RSS by +3.5 MiB instead of
// +6.2 to +8.3 (the limit of the young generation, 8 MB before, was reached within seconds).
// Its cost is more scavenges when many requests are in flight: ~+8 % of a core at 1000 LL-HLS
// viewers, within the noise at 50 publishers (bench/README.md section 5, "young generation").
// MALLOC_ARENA_MAX=1: glibc's malloc gives each thread that allocates its own arena, which keeps
// what it freed; V8's compiler and libuv threads grew theirs by ~1.5 MB under a flood. One arena
// reuses that memory for the main thread (no CPU difference measured at 1000 viewers).
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
