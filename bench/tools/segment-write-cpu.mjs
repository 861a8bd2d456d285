// Development aid, not part of any phase: the CPU (this process, user + system, % of one core) of
// writing segment files the way the media server does, 25 segments of 10 parts (660 kB) a second
// for 8 s, which is 50 streams' worth at 2 s segments:
//   node bench/tools/segment-write-cpu.mjs
// "iterable": fs.promises.writeFile(path, parts), which writes each part on its own (what
// hls/segment-files.ts did before 91d49c3), then for a durable file an open + fdatasync + close;
// "writev": one open, one writev, the fdatasync on that handle, close (what it does now). Each
// "durable" run also appends a playlist line with an fdatasync, as a recording does. Files go to a
// fresh folder under TMPDIR, on the disk a recording would use.
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const parts = Array.from({ length: 10 }, () => Buffer.alloc(66_000, 7));

async function writeSegment(dir, index, way, durable) {
  const path = join(dir, `seg-${index % 200}.m4s`);
  const temporary = `${path}.tmp`;
  if (way === 'iterable') {
    await writeFile(temporary, parts);
    if (durable) {
      const file = await open(temporary, 'r+');
      await file.datasync();
      await file.close();
    }
  } else {
    const file = await open(temporary, 'w');
    try {
      await file.writev(parts);
      if (durable) await file.datasync();
    } finally {
      await file.close();
    }
  }
  await rename(temporary, path);
  if (durable) {
    const playlist = await open(join(dir, 'index.m3u8'), 'a');
    await playlist.write('#EXTINF:2,\nseg.m4s\n');
    await playlist.datasync();
    await playlist.close();
  }
}

async function measure(way, durable) {
  const dir = mkdtempSync(join(tmpdir(), 'onair-segment-write-'));
  try {
    const before = process.cpuUsage();
    const started = performance.now();
    const writes = [];
    let index = 0;
    await new Promise((resolve) => {
      const tick = setInterval(() => {
        for (let i = 0; i < 5; i++) writes.push(writeSegment(dir, index++, way, durable));
        if (index >= 200) {
          clearInterval(tick);
          resolve();
        }
      }, 200);
    });
    await Promise.all(writes);
    const used = process.cpuUsage(before);
    const elapsedMs = performance.now() - started;
    return ((used.user + used.system) / 1000 / elapsedMs) * 100;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let round = 1; round <= 2; round++) {
  for (const durable of [false, true]) {
    for (const way of ['iterable', 'writev']) {
      console.log(`round ${round} ${way.padEnd(8)} ${durable ? 'durable' : 'plain  '} ${(await measure(way, durable)).toFixed(2)} % of a core`);
    }
  }
}
