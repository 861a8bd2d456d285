// What a recording folder holds right now: bytes of all files under it, and how many broadcast
// folders (<dir>/<app>/<name>/<broadcastId>/) have at least one file.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface DirUsage {
  bytes: number;
  files: number;
  /** Folders at `broadcastDepth` below the root that contain a file. */
  broadcasts: number;
}

/** Walks at most `maxDepth` levels; files vanishing mid-walk (renamed temp files) are skipped. */
export function dirUsage(root: string, broadcastDepth = 3, maxDepth = 6): DirUsage {
  const usage: DirUsage = { bytes: 0, files: 0, broadcasts: 0 };
  const walk = (dir: string, depth: number): number => {
    let files = 0;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return 0;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth) files += walk(path, depth + 1);
      } else if (entry.isFile()) {
        try {
          usage.bytes += statSync(path).size;
          usage.files += 1;
          files += 1;
        } catch {
          // gone between readdir and stat
        }
      }
    }
    if (depth === broadcastDepth && files > 0) usage.broadcasts += 1;
    return files;
  };
  walk(root, 0);
  return usage;
}
