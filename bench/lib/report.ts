// Renders BenchResults as bench/RESULTS.md.
import { callbackSection } from './report/callbacks-section.js';
import { chatGoalReaders, chatP99GoalMs, chatSection, chatVerdicts, failedSends } from './report/chat-section.js';
import { fanoutSection, fanoutVerdicts } from './report/fanout-section.js';
import { glassOnAirMedian, glassSection } from './report/glass-section.js';
import { headerSection } from './report/header-section.js';
import { attackCount, hostileSection, hostileVerdicts } from './report/hostile-section.js';
import { listingSection, listingVerdicts } from './report/listing-section.js';
import { loadSection, loadVerdicts } from './report/load-section.js';
import { recordingSection, recordingVerdicts } from './report/recording-section.js';
import { rtmpFanoutSection, rtmpFanoutVerdicts } from './report/rtmp-fanout-section.js';
import { ms, table, verdict } from './report/markdown.js';
import { isFailure, type BenchResults } from './results.js';
import { median } from './stats.js';

function failed(name: string, value: { measuredAt: string; error: string }): string {
  return `NOT MEASURED (${name} failed at ${value.measuredAt}): ${value.error.replaceAll('\n', ' ').slice(0, 800)}`;
}

function summary(results: BenchResults): string {
  const rows: string[][] = [];
  const load = results.load && !isFailure(results.load) ? loadVerdicts(results.load) : undefined;
  rows.push([
    'CPU per stream <= 2x nginx-rtmp',
    load?.cpuRatio === undefined ? 'not measured' : `${load.cpuRatio.toFixed(2)}x at N=${load.maxCount}`,
    verdict(load?.cpuRatio === undefined ? undefined : load.cpuRatio <= 2),
  ]);
  rows.push([
    'RSS growth per extra stream < 5 MB',
    load?.onairRssPerStream === undefined ? 'not measured' : `${(load.onairRssPerStream / 1e6).toFixed(2)} MB`,
    verdict(load?.onairRssPerStream === undefined ? undefined : load.onairRssPerStream < 5e6),
  ]);
  rows.push([
    '50 publishers, no stalls',
    load?.stallsAtMax === undefined ? 'not measured' : `${load.stallsAtMax} stalled at N=${load.maxCount}`,
    verdict(load?.stallsAtMax === undefined ? undefined : load.stallsAtMax === 0 && (load.maxCount ?? 0) >= 50),
  ]);
  const listing = results.listing && !isFailure(results.listing) ? listingVerdicts(results.listing) : undefined;
  rows.push(['first playable playlist < 1 s (1 s GOP)', ms(listing?.onairFirstPlayableMs), verdict(listing?.onairFirstPlayableMs === undefined ? undefined : listing.onairFirstPlayableMs < 1000)]);
  rows.push(['part listed within 50 ms of its last frame (median)', ms(listing?.onairPartAfterLastFrameP50, 1), verdict(listing?.onairPartAfterLastFrameP50 === undefined ? undefined : listing.onairPartAfterLastFrameP50 <= 50)]);
  const glass = results.glass && !isFailure(results.glass) ? glassOnAirMedian(results.glass) : undefined;
  rows.push(['glass-to-glass median <= 1.5 s (video.js)', ms(glass), verdict(glass === undefined ? undefined : glass <= 1500)]);
  const callbacks = results.callbacks && !isFailure(results.callbacks) ? results.callbacks.runs.filter((r) => r.kind === 'allow') : [];
  const cbFailures = callbacks.reduce((sum, r) => sum + r.failures, 0);
  const p50 = callbacks.length > 0 ? median(callbacks.map((r) => r.latency.p50)) : undefined;
  const p99 = callbacks.length > 0 ? median(callbacks.map((r) => r.latency.p99)) : undefined;
  const refused = callbacks.some((r) => Object.keys(r.statuses).some((status) => !/^[23]/.test(status)));
  const cbVerdict = (ok: boolean | undefined) => (refused ? 'not measured (allow runs were refused)' : verdict(ok));
  rows.push(['on_publish decision p50 < 10 ms at 200/s', ms(p50, 1), cbVerdict(p50 === undefined ? undefined : p50 < 10 && cbFailures === 0)]);
  rows.push(['on_publish decision p99 < 50 ms at 200/s', ms(p99, 1), cbVerdict(p99 === undefined ? undefined : p99 < 50 && cbFailures === 0)]);
  const hostile = results.hostile && !isFailure(results.hostile) ? hostileVerdicts(results.hostile) : undefined;
  const hostileComplete = hostile !== undefined && results.hostile !== undefined && !isFailure(results.hostile) && hostile.casesMeasured === attackCount(results.hostile.config.cases);
  rows.push([
    'hostile: no attack raises RSS by more than 50 MB (#13)',
    hostile?.onairWorstRise === undefined ? 'not measured' : `worst +${(hostile.onairWorstRise / 1e6).toFixed(1)} MB (${hostile.onairWorstRiseCase})`,
    verdict(hostile?.onairWorstRise === undefined ? undefined : hostileComplete && hostile.onairWorstRise <= 50e6),
  ]);
  rows.push([
    'hostile: no attack stalls the legit stream (#13)',
    hostile === undefined || hostile.casesMeasured === 0 ? 'not measured' : hostile.onairStalls.length === 0 ? 'no stalls' : `stalled: ${hostile.onairStalls.join(', ')}`,
    verdict(hostile === undefined || hostile.casesMeasured === 0 ? undefined : hostileComplete && hostile.onairStalls.length === 0),
  ]);
  rows.push([
    'hostile: better than nginx-rtmp on every attack (#13)',
    hostile === undefined || hostile.casesCompared === 0 ? 'not measured' : hostile.notBetter.length === 0 ? `all ${hostile.casesCompared}` : `not in: ${hostile.notBetter.join(', ')}`,
    verdict(hostile === undefined || hostile.casesCompared === 0 ? undefined : hostileComplete && hostile.notBetter.length === 0 && hostile.casesCompared === hostile.casesMeasured),
  ]);
  const fanout = results.fanout && !isFailure(results.fanout) ? fanoutVerdicts(results.fanout) : undefined;
  rows.push([
    '1000 LL-HLS viewers with no stalls (#13)',
    fanout?.maxViewers === undefined ? 'not measured' : `${fanout.stalledAtMax} stalled at ${fanout.maxViewers} viewers`,
    verdict(fanout?.maxViewers === undefined ? undefined : fanout.maxViewers >= 1000 && fanout.stalledAtMax === 0),
  ]);
  const rtmp = results.rtmpFanout && !isFailure(results.rtmpFanout) ? rtmpFanoutVerdicts(results.rtmpFanout) : undefined;
  rows.push([
    "RTMP fan-out within 1.5x nginx-rtmp's CPU per player (#17)",
    rtmp?.worstRatio === undefined ? 'not measured' : `worst ${rtmp.worstRatio.toFixed(2)}x at ${rtmp.worstAt} players`,
    verdict(rtmp?.worstRatio === undefined ? undefined : rtmp.worstRatio <= 1.5),
  ]);
  const rec = results.recording && !isFailure(results.recording) ? recordingVerdicts(results.recording) : undefined;
  const perN = (f: (c: ReturnType<typeof recordingVerdicts>['compares'][number]) => string) =>
    rec === undefined || rec.compares.length === 0 ? 'not measured' : rec.compares.map((c) => `${f(c)} at ${c.publishers}`).join(', ');
  rows.push(['recording adds at most 10 % CPU (#15)', perN((c) => `${c.cpuIncrease >= 0 ? '+' : ''}${(c.cpuIncrease * 100).toFixed(1)} %`), verdict(rec?.cpuOk)]);
  rows.push(['recording: no RSS growth per stream (#15)', perN((c) => `${c.rssPerStreamDelta >= 0 ? '+' : ''}${(c.rssPerStreamDelta / 1e6).toFixed(2)} MB/stream`), verdict(rec?.rssOk)]);
  rows.push(['recording: disk write rate = ingest bitrate (#15)', perN((c) => `${c.diskRatio.toFixed(3)}x`), verdict(rec?.diskOk)]);
  rows.push([
    'recording: glass-to-glass unchanged (#15)',
    rec?.glassOn === undefined ? 'not measured' : `on ${ms(rec.glassOn)}, off ${rec.glassOff.map((x) => x.toFixed(0)).join(' / ')} ms`,
    verdict(rec?.glassOk),
  ]);
  const chat = results.chat && !isFailure(results.chat) ? chatVerdicts(results.chat) : undefined;
  rows.push([
    `chat p99 send -> receipt < ${chatP99GoalMs} ms with ${chatGoalReaders} readers (#16)`,
    chat?.top === undefined ? 'not measured' : `p99 ${ms(chat.top.delivery.delays.delays.p99)} at ${chat.top.readers} readers${failedSends(chat.top)}`,
    verdict(chat?.p99Ok),
  ]);
  rows.push([
    'chat: no lost or reordered messages (#16)',
    chat?.top === undefined ? 'not measured' : `${chat.top.delivery.lost} lost, ${chat.top.orderViolations} out of order at ${chat.top.readers} readers${failedSends(chat.top)}`,
    verdict(chat?.deliveryOk),
  ]);
  return table(['OnAir target (issue #7 unless marked)', 'measured', 'verdict'], rows);
}

export function renderResults(results: BenchResults): string {
  const sections = [headerSection(results), '', '## Summary', '', summary(results)];
  sections.push('', '## 1. CPU, memory and stalls with N publishers', '');
  sections.push(results.load === undefined ? 'Not run.' : isFailure(results.load) ? failed('load', results.load) : loadSection(results.load));
  sections.push('', '## 2. Startup and listing delay', '');
  sections.push(results.listing === undefined ? 'Not run.' : isFailure(results.listing) ? failed('listing', results.listing) : listingSection(results.listing));
  sections.push('', '## 3. Glass-to-glass latency in Chromium', '');
  sections.push(results.glass === undefined ? 'Not run.' : isFailure(results.glass) ? failed('glass', results.glass) : glassSection(results.glass));
  sections.push('', '## 4. Web app on_publish decision latency', '');
  sections.push(results.callbacks === undefined ? 'Not run.' : isFailure(results.callbacks) ? failed('callbacks', results.callbacks) : callbackSection(results.callbacks));
  sections.push('', '## 5. Hostile clients (OnAir at its default limits vs nginx-rtmp)', '');
  sections.push(results.hostile === undefined ? 'Not run.' : isFailure(results.hostile) ? failed('hostile', results.hostile) : hostileSection(results.hostile));
  sections.push('', '## 6. Viewer fan-out: one stream, N viewers', '');
  sections.push(results.fanout === undefined ? 'Not run.' : isFailure(results.fanout) ? failed('fanout', results.fanout) : fanoutSection(results.fanout));
  sections.push('', '## 7. RTMP fan-out: one stream, N RTMP players', '');
  sections.push(results.rtmpFanout === undefined ? 'Not run.' : isFailure(results.rtmpFanout) ? failed('rtmp-fanout', results.rtmpFanout) : rtmpFanoutSection(results.rtmpFanout));
  sections.push('', '## 8. Recording off vs on (OnAir)', '');
  sections.push(results.recording === undefined ? 'Not run.' : isFailure(results.recording) ? failed('recording', results.recording) : recordingSection(results.recording));
  sections.push('', '## 9. Live chat: one channel, N readers (web app)', '');
  sections.push(results.chat === undefined ? 'Not run.' : isFailure(results.chat) ? failed('chat', results.chat) : chatSection(results.chat));
  return `${sections.join('\n')}\n`;
}
