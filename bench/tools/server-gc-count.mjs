// Development aid, not part of any phase: loaded into every Node process of a bench run with
//   NODE_OPTIONS="--import $PWD/bench/tools/server-gc-count.mjs" npm run bench -- --phases load --counts 50
// it does nothing except in the media server (argv naming onair-media-server), where it appends one
// line a second to <BENCH_GCLOG_DIR or /tmp>/gccount-<pid>.log: the GCs of that second by kind (full,
// young, incremental marking), their time in ms as node:perf_hooks reports it, the process's CPU
// and RSS. Unlike a --trace-gc log it needs no change of flags and costs nothing measurable. That is
// how bench/README.md section 5's "full GCs at 50 publishers" was counted.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';

if (process.argv.some((arg) => arg.includes('onair-media-server'))) {
  const out = join(process.env.BENCH_GCLOG_DIR ?? '/tmp', `gccount-${process.pid}.log`);
  const counts = { full: 0, young: 0, incremental: 0, ms: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = /** @type {{ kind?: number } | undefined} */ (entry.detail)?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.full++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.young++;
      else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) counts.incremental++;
      counts.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const started = Date.now();
  let cpu = process.cpuUsage();
  setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    appendFileSync(
      out,
      `${((Date.now() - started) / 1000).toFixed(0)}s full=${counts.full} young=${counts.young} incremental=${counts.incremental} ` +
        `gcMs=${counts.ms.toFixed(1)} cpu=${((used.user + used.system) / 1e4).toFixed(0)}% rssMiB=${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}\n`,
    );
    Object.assign(counts, { full: 0, young: 0, incremental: 0, ms: 0 });
  }, 1000).unref();
}
