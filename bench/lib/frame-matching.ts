// Finds which relayed RTMP video frames a listed part or segment contains.
import type { RelayedFrame } from './rtmp-relay.js';

/**
 * fMP4: the part's video sample sizes are the FLV AVC payload sizes of the frames it was made
 * from, in decode order. Returns the index of the frame matching the part's LAST sample, if the
 * whole size sequence occurs; the first occurrence at or after `from` is taken (the sizes of a
 * 2.5 Mbps stream are effectively unique, so a run of them identifies the frames).
 */
export function matchBySizes(frames: readonly RelayedFrame[], sizes: readonly number[], from = 0): number | undefined {
  if (sizes.length === 0) return undefined;
  outer: for (let start = from; start + sizes.length <= frames.length; start++) {
    for (let i = 0; i < sizes.length; i++) if (frames[start + i]?.sampleBytes !== sizes[i]) continue outer;
    return start + sizes.length - 1;
  }
  return undefined;
}

/**
 * nginx-rtmp's MPEG-TS writer adds a fixed 700 ms to every PTS/DTS
 * (ngx_rtmp_mpegts.c: "700 ms PCR delay", NGX_RTMP_HLS_DELAY 63000) on top of RTMP timestamp x 90.
 */
export const nginxTsDelay90k = 63_000;

/** MPEG-TS from nginx-rtmp: DTS = RTMP timestamp x 90 + 700 ms, so the last DTS names the last frame. */
export function matchByTimestamp(frames: readonly RelayedFrame[], dts90k: number, offset90k = nginxTsDelay90k): number | undefined {
  const timestamp = Math.round((dts90k - offset90k) / 90);
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]?.timestamp === timestamp) return i;
  return undefined;
}
