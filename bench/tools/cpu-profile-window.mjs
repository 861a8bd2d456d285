// Development aid, not part of any phase: a CPU profile of one kind of bench process, over a
// window of its life, for processes the bench starts itself (fan-out workers, the media server):
//   BENCH_PROFILE_MATCH=fanout-worker NODE_OPTIONS="--import $PWD/bench/tools/cpu-profile-window.mjs" \
//     npm run bench -- --phases fanout --servers onair --viewers 1000
// Every process whose argv contains BENCH_PROFILE_MATCH (default fanout-worker) is profiled from
// BENCH_PROFILE_START_MS (default 15000) to BENCH_PROFILE_END_MS (default 28000) after it starts,
// into <BENCH_PROFILE_DIR or /tmp/bench-profiles>/<pid>.cpuprofile (Chrome DevTools format).
// node's --cpu-prof cannot be set in NODE_OPTIONS, and writes only at a clean exit, which a worker
// killed by the bench never has.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const match = process.env.BENCH_PROFILE_MATCH ?? 'fanout-worker';
if (process.argv.some((arg) => arg.includes(match))) {
  const dir = process.env.BENCH_PROFILE_DIR ?? '/tmp/bench-profiles';
  const session = new Session();
  session.connect();
  setTimeout(() => session.post('Profiler.enable', () => session.post('Profiler.start')), Number(process.env.BENCH_PROFILE_START_MS ?? 15_000)).unref();
  setTimeout(() => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  }, Number(process.env.BENCH_PROFILE_END_MS ?? 28_000)).unref();
}
