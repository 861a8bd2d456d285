// RESULTS.md: capture-to-display latency in Chromium with video.js.
import type { GlassPhaseResult } from '../phases/glass.js';
import { median } from '../stats.js';
import { ms, table, verdict } from './markdown.js';

export function glassOnAirMedian(result: GlassPhaseResult): number | undefined {
  const runs = result.runs.filter((r) => r.server === 'OnAir' && r.samples > 0);
  return runs.length > 0 ? median(runs.map((r) => r.medianMs)) : undefined;
}

export function glassSection(result: GlassPhaseResult): string {
  const labels = [...new Set(result.runs.map((r) => r.label))];
  const rows = labels.map((label) => {
    const runs = result.runs.filter((r) => r.label === label);
    const measured = runs.filter((r) => r.samples > 0);
    return [
      label,
      measured.length > 0 ? ms(median(measured.map((r) => r.medianMs))) : 'n/a',
      runs.map((r) => (r.samples > 0 ? `${r.medianMs.toFixed(0)} (${r.p10Ms.toFixed(0)}-${r.p90Ms.toFixed(0)})` : 'no frames')).join('; '),
      runs.map((r) => String(r.samples)).join(' / '),
      runs.map((r) => String(r.waiting)).join(' / '),
      runs.map((r) => String(r.undecodable)).join(' / '),
      runs.flatMap((r) => r.playerErrors).join('; ') || 'none',
    ];
  });
  const onair = glassOnAirMedian(result);
  const lines = [
    `Measured ${result.measuredAt} in ${result.chromium} (headless, software decoding), video.js with the options of ` +
      `app/_components/player/video-player.tsx. ${result.config.repeats} run(s) per setup; per run the page was opened as soon as the playlist answered 200, ` +
      `then ${result.config.warmupMs / 1000} s to settle and a ${result.config.windowMs / 1000} s measurement window.`,
    '',
    table(['setup', 'latency (median of run medians)', 'per run: median (p10-p90) ms', 'frames measured', "'waiting' events", 'frames with unreadable code', 'player errors'], rows),
    '',
    table(['target', 'measured', 'verdict'], [['OnAir glass-to-glass median <= 1.5 s', ms(onair), verdict(onair === undefined ? undefined : onair <= 1500)]]),
  ];
  if (result.errors.length > 0) lines.push('', 'Runs that failed:', '', ...result.errors.map((e) => `- ${e.replaceAll('\n', ' ')}`));
  return lines.join('\n');
}
