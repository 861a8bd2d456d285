// Development aid, not part of any phase: what a window of the media server's life added to its
// resident memory, mapping by mapping. Loaded into every Node process of a bench run with
//   BENCH_SMAPS_FROM_MS=41000 BENCH_SMAPS_TO_MS=57000 \
//     NODE_OPTIONS="--import $PWD/bench/tools/server-smaps-diff.mjs" \
//     npm run bench -- --phases hostile --servers onair --attacks reload-flood
// it does nothing except in the media server (argv naming onair-media-server), where it reads
// /proc/self/smaps at both times and writes <BENCH_SMAPS_DIR or /tmp>/smaps-<pid>.txt: the Rss
// change of each mapping that moved by 64 kB or more, grouped as V8 heap pages (256 kB anonymous
// mappings), other anonymous memory (glibc's malloc arenas among it) and files, and the total.
// The hostile phase's attack starts about 42 s after its server and lasts 15 s. That is how
// bench/README.md section 5's breakdown of row (e) was taken.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Rss in kB of each mapping of this process, by start address. */
function residentByMapping() {
  /** @type {Map<string, { name: string, sizeKb: number, rssKb: number }>} */
  const mappings = new Map();
  let current;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { name: head[3] || '[anon]', sizeKb: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024, rssKb: 0 };
      mappings.set(head[1], current);
    } else if (current && line.startsWith('Rss:')) current.rssKb = Number(line.split(/\s+/)[1]);
  }
  return mappings;
}

if (process.argv.some((arg) => arg.includes('onair-media-server'))) {
  const out = join(process.env.BENCH_SMAPS_DIR ?? '/tmp', `smaps-${process.pid}.txt`);
  let before = new Map();
  setTimeout(() => (before = residentByMapping()), Number(process.env.BENCH_SMAPS_FROM_MS ?? 41_000)).unref();
  setTimeout(() => {
    const after = residentByMapping();
    const groups = { 'V8 heap pages (256 kB anonymous)': 0, 'other anonymous (malloc arenas among it)': 0, files: 0 };
    const lines = [];
    for (const start of new Set([...before.keys(), ...after.keys()])) {
      const mapping = after.get(start) ?? before.get(start);
      const delta = (after.get(start)?.rssKb ?? 0) - (before.get(start)?.rssKb ?? 0);
      if (!mapping || delta === 0) continue;
      const group = mapping.name !== '[anon]' && !mapping.name.startsWith('[') ? 'files' : mapping.sizeKb === 256 ? 'V8 heap pages (256 kB anonymous)' : 'other anonymous (malloc arenas among it)';
      groups[group] += delta;
      if (Math.abs(delta) >= 64) lines.push(`${delta > 0 ? '+' : ''}${delta} kB  ${start} (${mapping.sizeKb} kB) ${mapping.name}`);
    }
    const total = Object.values(groups).reduce((sum, kb) => sum + kb, 0);
    const summary = Object.entries(groups).map(([group, kb]) => `${group}: ${kb > 0 ? '+' : ''}${kb} kB`);
    writeFileSync(out, [...summary, `total: ${total > 0 ? '+' : ''}${total} kB`, '', ...lines.sort()].join('\n') + '\n');
  }, Number(process.env.BENCH_SMAPS_TO_MS ?? 57_000)).unref();
}
