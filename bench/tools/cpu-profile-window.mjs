// Development aid, not part of any phase: a CPU profile of one kind of bench process, over a
// window of its life, for processes the bench starts itself (fan-out workers, the media server):
//   BENCH_PROFILE_MATCH=fanout-worker NODE_OPTIONS="--import $PWD/bench/tools/cpu-profile-window.mjs" \
//     npm run bench -- --phases fanout --servers onair --viewers 1000
// Every process whose argv contains BENCH_PROFILE_MATCH (default fanout-worker) is profiled from
// BENCH_PROFILE_START_MS (default 15000) to BENCH_PROFILE_END_MS (default 28000) after it starts,
// into <BENCH_PROFILE_DIR or /tmp/bench-profiles>/<pid>.cpuprofile (Chrome DevTools format).
// node's --cpu-prof cannot be set in NODE_OPTIONS, and writes only at a clean exit, which a worker
// killed by the bench never has.
import { profileWindow } from './profile-window.mjs';

profileWindow({ match: 'fanout-worker', startMs: 15_000, endMs: 28_000, domain: 'Profiler', start: 'start', stop: 'stop', extension: 'cpuprofile' });
