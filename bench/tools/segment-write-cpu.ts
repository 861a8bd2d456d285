// Development aid, not part of any phase: the CPU (this process, user + system, % of one core) of
// writing segment files the way the media server does, 25 segments of 10 parts (660 kB) a second
// for 8 s, which is 50 streams' worth at 2 s segments:
//   node --import tsx bench/tools/segment-write-cpu.ts
// "iterable": fs.promises.writeFile(path, parts), which writes each part on its own (what
// hls/segment-files.ts did before 91d49c3), then for a durable file an open + fdatasync + close,
// and a playlist line appended with an fdatasync; a copy of that old code, kept here to compare.
// "writev": the server's own hls/segment-files.ts, writeAtomically (one open, one writev, the
// fdatasync on that handle) and, durable, writeDurablyAt for the playlist line, as a recording
// does. Files go to a fresh folder under TMPDIR, on the disk a recording would use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically, writeDurablyAt } from '../../media-server/src/hls/segment-files.js';

type Way = 'iterable' | 'writev';

const parts = Array.from({ length: 10 }, () => Buffer.alloc(66_000, 7));
const playlistLine = '#EXTINF:2,\nseg.m4s\n';

/** The segment-files.ts of before 91d49c3. */
async function writeSegmentBefore(dir: string, path: string, durable: boolean): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, parts);
  if (durable) {
    const file = await open(temporary, 'r+');
    await file.datasync();
    await file.close();
  }
  await rename(temporary, path);
  if (durable) {
    const playlist = await open(join(dir, 'index.m3u8'), 'a');
    await playlist.write(playlistLine);
    await playlist.datasync();
    await playlist.close();
  }
}

async function measure(way: Way, durable: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'onair-segment-write-'));
  const playlist = join(dir, 'index.m3u8');
  writeFileSync(playlist, '');
  // Where the next playlist line goes; the lines are appended in the order the writes finish.
  let playlistBytes = 0;
  let lines = Promise.resolve();
  const writeSegment = async (index: number): Promise<void> => {
    const path = join(dir, `seg-${index % 200}.m4s`);
    if (way === 'iterable') return writeSegmentBefore(dir, path, durable);
    await writeAtomically(path, parts, durable);
    if (durable) {
      lines = lines.then(async () => {
        await writeDurablyAt(playlist, playlistBytes, playlistLine);
        playlistBytes += playlistLine.length;
      });
      await lines;
    }
  };
  try {
    const before = process.cpuUsage();
    const started = performance.now();
    const writes: Promise<void>[] = [];
    let index = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        for (let i = 0; i < 5; i++) writes.push(writeSegment(index++));
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
    for (const way of ['iterable', 'writev'] as const) {
      console.log(`round ${round} ${way.padEnd(8)} ${durable ? 'durable' : 'plain  '} ${(await measure(way, durable)).toFixed(2)} % of a core`);
    }
  }
}
