// The window both profiling aids share (cpu-profile-window.mjs, heap-sample-window.mjs): in every
// process whose argv contains BENCH_PROFILE_MATCH, an inspector session starts a profiler
// BENCH_PROFILE_START_MS after the process starts and stops it at BENCH_PROFILE_END_MS, writing
// the profile to <BENCH_PROFILE_DIR or /tmp/bench-profiles>/<pid>.<extension>. Not a hook itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * @param {{ match: string, startMs: number, endMs: number, domain: 'Profiler' | 'HeapProfiler',
 *   start: string, startParams?: object, stop: string, extension: string }} options
 *   the defaults of the three variables, and the inspector methods of one profiler
 */
export function profileWindow(options) {
  const match = process.env.BENCH_PROFILE_MATCH ?? options.match;
  if (!process.argv.some((arg) => arg.includes(match))) return;
  const dir = process.env.BENCH_PROFILE_DIR ?? '/tmp/bench-profiles';
  const session = new Session();
  session.connect();
  const start = () => session.post(`${options.domain}.${options.start}`, options.startParams ?? {});
  setTimeout(() => session.post(`${options.domain}.enable`, start), Number(process.env.BENCH_PROFILE_START_MS ?? options.startMs)).unref();
  setTimeout(() => {
    session.post(`${options.domain}.${options.stop}`, (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.${options.extension}`), JSON.stringify(result.profile));
    });
  }, Number(process.env.BENCH_PROFILE_END_MS ?? options.endMs)).unref();
}
