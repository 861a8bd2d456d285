// Development aid, not part of any phase: loaded into every Node process of a bench run with
//   NODE_OPTIONS="--import $PWD/bench/tools/server-memory-log.mjs" npm run bench -- ...
// it does nothing except in the media server (argv naming onair-media-server), where it appends one
// line a second to <BENCH_MEMLOG_DIR or /tmp>/memlog-<pid>.log: event-loop delay (max, p99), CPU,
// RSS, V8 heap used / total, ArrayBuffer bytes and each V8 space's size. That is how bench/README.md's note on OnAir's
// first full GC (section 5) was seen.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

if (process.argv.some((arg) => arg.includes('onair-media-server'))) {
  const out = join(process.env.BENCH_MEMLOG_DIR ?? '/tmp', `memlog-${process.pid}.log`);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
  let cpu = process.cpuUsage();
  setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    appendFileSync(
      out,
      `${new Date().toISOString()} lagMaxMs=${(delay.max / 1e6).toFixed(0)} lagP99Ms=${(delay.percentile(99) / 1e6).toFixed(0)} ` +
        `cpu=${((used.user + used.system) / 1e4).toFixed(0)}% rssMiB=${mib(memory.rss)} heapUsedMiB=${mib(memory.heapUsed)} ` +
        `heapTotalMiB=${mib(memory.heapTotal)} arrayBuffersMiB=${mib(memory.arrayBuffers)} ` +
        // Each V8 space's committed size (MiB): which one a rise of heapTotal is.
        `spaces=${getHeapSpaceStatistics().map((space) => `${space.space_name.replace(/_space$/, '')}:${mib(space.space_size)}`).join(',')}\n`,
    );
    delay.reset();
  }, 1000).unref();
}
