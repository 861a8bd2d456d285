// Development aid, not part of any phase: a sampling heap profile (what allocated how many bytes,
// by call stack, garbage included) of one kind of bench process over a window of its life:
//   BENCH_PROFILE_MATCH=onair-media-server BENCH_PROFILE_START_MS=41000 BENCH_PROFILE_END_MS=47000 \
//     NODE_OPTIONS="--import $PWD/bench/tools/heap-sample-window.mjs" \
//     npm run bench -- --phases hostile --servers onair --attacks slow-reader
// writes <BENCH_PROFILE_DIR or /tmp/bench-profiles>/<pid>.heapprofile (Chrome DevTools format);
// tools/profile-summary.mjs lists it by function. The same variables as cpu-profile-window.mjs;
// the hostile phase's attack starts about 42 s after its server. That is how bench/README.md's
// allocation figures for rows (e) and (f) of section 5 were measured.
import { profileWindow } from './profile-window.mjs';

// Every 4 KiB allocated is sampled, and objects a GC already freed are kept: the question is what
// allocates, not what stays.
const sampling = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
profileWindow({ match: 'onair-media-server', startMs: 42_000, endMs: 52_000, domain: 'HeapProfiler', start: 'startSampling', startParams: sampling, stop: 'stopSampling', extension: 'heapprofile' });
