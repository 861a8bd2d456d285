// Retention (the issue: "maximum age and maximum total size, site-wide and per channel; the oldest
// go first"). planRetention is pure; applyRetention reads the rows and deletes what it returns.
// A channel's limits apply on top of the site's: the stricter of the two wins.
import type { Db } from '../db';
import type { Logger } from '../logger';
import { deleteBroadcast } from './delete-broadcast';
import { gbToBytes } from './disk';
import type { SiteRecordingLimits } from './settings';

const DAY_MS = 86_400_000;

export interface RetentionItem {
  id: string;
  channelId: string;
  startedAt: Date;
  sizeBytes: number;
}

export interface ChannelLimits {
  maxAgeDays: number | null;
  maxGb: number | null;
}

const stricter = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** Ids to delete, oldest first. */
export function planRetention(items: readonly RetentionItem[], channels: ReadonlyMap<string, ChannelLimits>, site: SiteRecordingLimits, nowMs: number): string[] {
  const doomed = new Set<string>();
  const oldestFirst = [...items].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));

  for (const item of oldestFirst) {
    const maxAgeDays = stricter(site.maxAgeDays, channels.get(item.channelId)?.maxAgeDays ?? null);
    if (maxAgeDays !== null && item.startedAt.getTime() < nowMs - maxAgeDays * DAY_MS) doomed.add(item.id);
  }

  // Per channel, then site-wide: drop the oldest until what is left fits.
  const byChannel = new Map<string, RetentionItem[]>();
  for (const item of oldestFirst) byChannel.set(item.channelId, [...(byChannel.get(item.channelId) ?? []), item]);
  for (const [channelId, list] of byChannel) {
    const maxGb = channels.get(channelId)?.maxGb ?? null;
    if (maxGb !== null) trimToSize(list, gbToBytes(maxGb), doomed);
  }
  if (site.maxGb !== null) trimToSize(oldestFirst, gbToBytes(site.maxGb), doomed);

  return oldestFirst.filter((item) => doomed.has(item.id)).map((item) => item.id);
}

function trimToSize(oldestFirst: readonly RetentionItem[], maxBytes: number, doomed: Set<string>): void {
  let total = oldestFirst.reduce((sum, item) => (doomed.has(item.id) ? sum : sum + item.sizeBytes), 0);
  for (const item of oldestFirst) {
    if (total <= maxBytes) return;
    if (doomed.has(item.id)) continue;
    doomed.add(item.id);
    total -= item.sizeBytes;
  }
}

export interface RetentionDeps {
  db: Db;
  logger: Logger;
  recordDir: string | undefined;
  nowMs: number;
  site: SiteRecordingLimits;
}

/** Deletes what planRetention returns; the number deleted. */
export async function applyRetention(deps: RetentionDeps): Promise<number> {
  const [rows, channels] = await Promise.all([
    deps.db.broadcast.findMany({ select: { id: true, channelId: true, startedAt: true, sizeBytes: true } }),
    deps.db.channel.findMany({
      where: { OR: [{ recordingsMaxAgeDays: { not: null } }, { recordingsMaxGb: { not: null } }] },
      select: { id: true, recordingsMaxAgeDays: true, recordingsMaxGb: true },
    }),
  ]);
  const limits = new Map(channels.map((c) => [c.id, { maxAgeDays: c.recordingsMaxAgeDays, maxGb: c.recordingsMaxGb }]));
  const items = rows.map((row) => ({ ...row, sizeBytes: Number(row.sizeBytes) }));
  const doomed = planRetention(items, limits, deps.site, deps.nowMs);
  for (const id of doomed) await deleteBroadcast(deps.db, deps.recordDir, id);
  if (doomed.length > 0) deps.logger.info('retention_deleted', { count: doomed.length });
  return doomed.length;
}
