// Phase "listing": one publisher through the timestamping relay, one listing probe on its playlist.
// Measures (1) publish command -> first playlist listing a part / a complete segment (startup) and
// (2) for every part and segment: listed time minus delivery time of its last video frame, and
// minus delivery time of the first video frame after it (the frame that tells a server the part
// is over, if it closes parts on the next frame).
import { startListingProbe, type ListedItem } from '../listing-probe.js';
import { matchBySizes, matchByTimestamp } from '../frame-matching.js';
import { videoSamples, videoTrackOf, type VideoTrack } from '../mp4-samples.js';
import { videoDtsOf } from '../mpegts-dts.js';
import { startCopyPublishers } from '../publishers.js';
import { startRtmpRelay, type RelayedFrame } from '../rtmp-relay.js';
import type { ServerKind } from '../config.js';
import type { ServerOptions, ServerUnderTest } from '../server.js';
import type { ServerFactory } from '../servers.js';
import { sleep, withTimeout } from '../time.js';

export interface ListingRun {
  server: string;
  repeat: number;
  /** publish command delivered -> first playlist listing a part (undefined: no parts). */
  publishToFirstPartMs?: number;
  /** publish command delivered -> first playlist listing a complete segment. */
  publishToFirstSegmentMs?: number;
  /** first video frame delivered -> first playlist listing a part / segment. */
  firstFrameToFirstPartMs?: number;
  firstFrameToFirstSegmentMs?: number;
  partAfterLastFrameMs: number[];
  partAfterNextFrameMs: number[];
  segmentAfterLastFrameMs: number[];
  segmentAfterNextFrameMs: number[];
  /** Items listed but not matched to relayed frames (fetch failed or samples not found). */
  unmatched: number;
  /** Items whose listing time the probe could not vouch for (excluded). */
  inexact: number;
  blockingReload: boolean;
  relayError?: string;
}

export interface ListingConfig {
  input: string;
  durationMs: number;
  pollMs: number;
}

function lastFrameIndex(item: ListedItem, frames: readonly RelayedFrame[], track: VideoTrack | undefined): number | undefined {
  if (!item.bytes) return undefined;
  if (item.bytes[0] === 0x47) {
    const dts = videoDtsOf(item.bytes);
    const last = dts.length > 0 ? Math.max(...dts) : undefined;
    return last === undefined ? undefined : matchByTimestamp(frames, last);
  }
  if (!track) return undefined;
  return matchBySizes(frames, videoSamples(item.bytes, track).map((sample) => sample.size));
}

export async function runListing(server: ServerUnderTest, config: ListingConfig, repeat: number): Promise<ListingRun> {
  const key = `probe${repeat}`;
  const relay = await startRtmpRelay(Number(new URL(server.rtmpUrl(key)).port));
  const probe = startListingProbe(server.playlistUrl(key), config.pollMs, config.durationMs + 15_000);
  await sleep(200); // the probe is polling before the publish starts
  const publisher = await startCopyPublishers(config.input, [`rtmp://127.0.0.1:${relay.port}/live/${key}`], 0);
  try {
    await sleep(config.durationMs);
  } finally {
    await probe.stop();
    await publisher.stop();
    await relay.close();
  }

  const frames = relay.frames();
  const init = probe.initSection();
  const track = init ? videoTrackOf(init) : undefined;
  const items = probe.items();
  const publishAt = relay.publishAt();
  const firstFrameAt = frames[0]?.deliveredAt;
  const firstPart = items.find((item) => item.kind === 'part');
  const firstSegment = items.find((item) => item.kind === 'segment');
  const run: ListingRun = {
    server: server.name,
    repeat,
    partAfterLastFrameMs: [],
    partAfterNextFrameMs: [],
    segmentAfterLastFrameMs: [],
    segmentAfterNextFrameMs: [],
    unmatched: 0,
    inexact: 0,
    blockingReload: probe.usedBlockingReload(),
  };
  if (publishAt !== undefined && firstPart) run.publishToFirstPartMs = firstPart.listedAt - publishAt;
  if (publishAt !== undefined && firstSegment) run.publishToFirstSegmentMs = firstSegment.listedAt - publishAt;
  if (firstFrameAt !== undefined && firstPart) run.firstFrameToFirstPartMs = firstPart.listedAt - firstFrameAt;
  if (firstFrameAt !== undefined && firstSegment) run.firstFrameToFirstSegmentMs = firstSegment.listedAt - firstFrameAt;
  const relayError = relay.parseError();
  if (relayError !== undefined) run.relayError = relayError;

  for (const item of items) {
    if (!item.exact) {
      run.inexact += 1;
      continue;
    }
    const index = lastFrameIndex(item, frames, track);
    const last = index === undefined ? undefined : frames[index];
    if (index === undefined || !last) {
      run.unmatched += 1;
      continue;
    }
    const next = frames[index + 1];
    if (item.kind === 'part') {
      run.partAfterLastFrameMs.push(item.listedAt - last.deliveredAt);
      if (next) run.partAfterNextFrameMs.push(item.listedAt - next.deliveredAt);
    } else {
      run.segmentAfterLastFrameMs.push(item.listedAt - last.deliveredAt);
      if (next) run.segmentAfterNextFrameMs.push(item.listedAt - next.deliveredAt);
    }
  }
  return run;
}

export interface ListingSetup {
  label: string;
  kind: ServerKind;
  options: ServerOptions;
  gopSeconds: number;
}

/** OnAir as configured by default (2 s segments, 200 ms parts) and nginx-rtmp with 1 s and 2 s fragments. */
export const listingSetups: readonly ListingSetup[] = [
  { label: 'OnAir: 2 s segments, 200 ms parts, 1 s GOP', kind: 'onair', options: { segmentMs: 2_000, partMs: 200, window: 7 }, gopSeconds: 1 },
  { label: 'nginx-rtmp: 1 s fragments, 1 s GOP', kind: 'nginx-rtmp', options: { segmentMs: 1_000, partMs: 200, window: 7 }, gopSeconds: 1 },
  { label: 'nginx-rtmp: 2 s fragments, 2 s GOP', kind: 'nginx-rtmp', options: { segmentMs: 2_000, partMs: 200, window: 7 }, gopSeconds: 2 },
];

export interface ListingPhaseResult {
  measuredAt: string;
  config: { repeats: number; durationMs: number; pollMs: number };
  setups: Array<{ setup: ListingSetup; input: string; runs: ListingRun[] }>;
  errors: string[];
}

export async function runListingPhase(
  factory: ServerFactory,
  servers: readonly ServerKind[],
  phase: { repeats: number; durationMs: number; pollMs: number },
  inputFor: (gopSeconds: number) => Promise<string>,
  log: (line: string) => void,
): Promise<ListingPhaseResult> {
  const result: ListingPhaseResult = { measuredAt: new Date().toISOString(), config: phase, setups: [], errors: [] };
  const setups = listingSetups.filter((setup) => servers.includes(setup.kind));
  for (const setup of setups) result.setups.push({ setup, input: await inputFor(setup.gopSeconds), runs: [] });
  for (let repeat = 0; repeat < phase.repeats; repeat++) {
    for (const entry of result.setups) {
      const what = `listing ${entry.setup.label} repeat ${repeat + 1}/${phase.repeats}`;
      try {
        const server = await factory.start(entry.setup.kind, entry.setup.options);
        try {
          const run = await withTimeout(runListing(server, { input: entry.input, durationMs: phase.durationMs, pollMs: phase.pollMs }, repeat), phase.durationMs + 60_000, what);
          entry.runs.push(run);
          log(`${what}: first part ${run.publishToFirstPartMs?.toFixed(0) ?? '-'} ms, first segment ${run.publishToFirstSegmentMs?.toFixed(0) ?? '-'} ms, parts ${run.partAfterLastFrameMs.length}, segments ${run.segmentAfterLastFrameMs.length}, unmatched ${run.unmatched}`);
        } finally {
          await server.stop();
        }
      } catch (error) {
        result.errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
        log(`${what}: FAILED ${String(error).slice(0, 300)}`);
      }
    }
  }
  return result;
}
