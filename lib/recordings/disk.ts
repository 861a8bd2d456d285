// Free space where recordings are written (RECORDINGS_MIN_FREE_GB, CONTRACT-15 item 4).
import { mkdir, statfs } from 'node:fs/promises';

const GB = 1024 ** 3;

/** Bytes available to this process in `dir` (created if missing). */
export async function freeBytes(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/** True when recording may start: the check is off (0) or at least `minFreeGb` is free. */
export async function hasRoomToRecord(dir: string, minFreeGb: number): Promise<boolean> {
  if (minFreeGb <= 0) return true;
  return (await freeBytes(dir)) >= minFreeGb * GB;
}

export function gbToBytes(gb: number): number {
  return Math.floor(gb * GB);
}
