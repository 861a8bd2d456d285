// RESULTS.md: time to the first playable playlist, and how soon parts/segments are listed.
import type { ListingPhaseResult } from '../phases/listing.js';
import { distribution, median } from '../stats.js';
import { ms, table, verdict } from './markdown.js';

function dist(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const d = distribution(values);
  return `${d.p50.toFixed(1)} / ${d.p90.toFixed(1)} / ${d.p99.toFixed(1)} / ${d.max.toFixed(1)} (n=${d.count})`;
}

export interface ListingVerdicts {
  onairFirstPlayableMs?: number;
  onairPartAfterLastFrameP50?: number;
}

function defined(values: Array<number | undefined>): number[] {
  return values.filter((v): v is number => v !== undefined);
}

export function listingVerdicts(result: ListingPhaseResult): ListingVerdicts {
  const onair = result.setups.find((s) => s.setup.kind === 'onair');
  const v: ListingVerdicts = {};
  if (!onair || onair.runs.length === 0) return v;
  const firstPart = defined(onair.runs.map((r) => r.publishToFirstPartMs ?? r.publishToFirstSegmentMs));
  if (firstPart.length > 0) v.onairFirstPlayableMs = median(firstPart);
  const parts = onair.runs.flatMap((r) => r.partAfterLastFrameMs);
  if (parts.length > 0) v.onairPartAfterLastFrameP50 = distribution(parts).p50;
  return v;
}

export function listingSection(result: ListingPhaseResult): string {
  const startupRows = result.setups.map(({ setup, runs }) => [
    setup.label,
    ms(median(defined(runs.map((r) => r.publishToFirstPartMs)))),
    ms(median(defined(runs.map((r) => r.publishToFirstSegmentMs)))),
    ms(median(defined(runs.map((r) => r.firstFrameToFirstPartMs)))),
    ms(median(defined(runs.map((r) => r.firstFrameToFirstSegmentMs)))),
    String(runs.length),
  ]);
  const listingRows = result.setups.flatMap(({ setup, runs }) => {
    const rows: string[][] = [];
    const parts = runs.flatMap((r) => r.partAfterLastFrameMs);
    if (parts.length > 0) rows.push([setup.label, 'part', dist(parts), dist(runs.flatMap((r) => r.partAfterNextFrameMs))]);
    rows.push([setup.label, 'segment', dist(runs.flatMap((r) => r.segmentAfterLastFrameMs)), dist(runs.flatMap((r) => r.segmentAfterNextFrameMs))]);
    return rows;
  });
  const quality = result.setups.map(({ setup, runs }) => [
    setup.label,
    runs.some((r) => r.blockingReload) ? 'blocking reload' : `polling every ${result.config.pollMs} ms`,
    String(runs.reduce((sum, r) => sum + r.unmatched, 0)),
    String(runs.reduce((sum, r) => sum + r.inexact, 0)),
    runs.map((r) => r.relayError).filter((e) => e !== undefined).join('; ') || 'none',
  ]);
  const v = listingVerdicts(result);
  const lines = [
    `Measured ${result.measuredAt}. ${result.config.repeats} run(s) per setup, one publisher (the cached input for the setup's GOP, \`-re -c copy\`) ` +
      `through the bench's timestamping RTMP relay, ${result.config.durationMs / 1000} s each; medians over runs for startup, pooled samples for listing.`,
    '',
    '**Time to the first playable playlist** (from the moment the relay handed the RTMP `publish` command to the server, and from the first video frame):',
    '',
    table(['setup', 'publish -> first part listed', 'publish -> first segment listed', 'first frame -> first part', 'first frame -> first segment', 'runs'], startupRows),
    '',
    '**Listing delay** in ms, p50 / p90 / p99 / max (n = number of parts or segments):',
    '',
    table(['setup', 'item', 'listed after its LAST video frame was delivered', 'listed after the NEXT video frame was delivered'], listingRows),
    '',
    table(['setup', 'how the probe watched', 'items not matched to frames', 'items with unverifiable listing time (excluded)', 'relay parse errors'], quality),
    '',
    table(
      ['target', 'measured', 'verdict'],
      [
        ['OnAir: first playable playlist < 1 s after publish (1 s GOP)', ms(v.onairFirstPlayableMs), verdict(v.onairFirstPlayableMs === undefined ? undefined : v.onairFirstPlayableMs < 1000)],
        ['OnAir: part listed within 50 ms of its last frame (median)', ms(v.onairPartAfterLastFrameP50, 1), verdict(v.onairPartAfterLastFrameP50 === undefined ? undefined : v.onairPartAfterLastFrameP50 <= 50)],
      ],
    ),
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
