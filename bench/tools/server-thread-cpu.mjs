// Development aid, not part of any phase: loaded into every Node process of a bench run with
//   NODE_OPTIONS="--import $PWD/bench/tools/server-thread-cpu.mjs" npm run bench -- ...
// it does nothing except in the media server (argv naming onair-media-server), where it appends
// one line a second to <BENCH_THREADLOG_DIR or /tmp>/threads-<pid>.log: the CPU of each kind of
// thread (the main thread, libuv's file-system pool, V8's workers...) over that second, user and
// system, in % of one core. That is how bench/README.md's split of the recording's cost (section
// 8) between JavaScript and the kernel's file writes was measured.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

if (process.argv.some((arg) => arg.includes('onair-media-server'))) {
  const out = join(process.env.BENCH_THREADLOG_DIR ?? '/tmp', `threads-${process.pid}.log`);
  const ticksPerSecond = 100; // USER_HZ on Linux
  /** thread id -> { name, user, system } in clock ticks */
  const read = () => {
    const threads = new Map();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        // The name is in parentheses and may hold spaces; the fields after it are space-separated.
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        threads.set(tid, { name: Number(tid) === process.pid ? 'main' : name, user: Number(fields[11]), system: Number(fields[12]) });
      } catch {
        // the thread ended between readdir and read
      }
    }
    return threads;
  };
  let before = read();
  setInterval(() => {
    const now = read();
    const byName = new Map();
    for (const [tid, thread] of now) {
      const earlier = before.get(tid) ?? { user: 0, system: 0 };
      const sum = byName.get(thread.name) ?? { user: 0, system: 0 };
      sum.user += thread.user - earlier.user;
      sum.system += thread.system - earlier.system;
      byName.set(thread.name, sum);
    }
    before = now;
    const percent = (ticks) => ((ticks / ticksPerSecond) * 100).toFixed(0);
    const parts = [...byName].map(([name, { user, system }]) => `${name.replace(/\s+/g, '_')}=${percent(user)}+${percent(system)}`);
    appendFileSync(out, `${new Date().toISOString()} ${parts.join(' ')}\n`);
  }, 1000).unref();
}
