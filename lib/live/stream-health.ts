// What the streamer's dashboard shows about their stream: status, uptime, viewers, and what the
// media server actually receives (codecs, resolution, frame rate, bitrate), so a streamer can
// tell at a glance that OBS sends what they think. Also the hints derived from those figures.
import { z } from 'zod';
import type { Db } from '../db';
import type { MediaServerKind } from '../hls-url';
import { errorMessage } from '../logger';
import { fetchLiveStreams, type LiveStreamInfo } from '../media-server/live-streams';

/** The media server's figures for one stream (GET /api/streams), every field optional. */
export interface IngestDetails {
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly width: number | null;
  readonly height: number | null;
  /** Frame rate the encoder declared (onMetaData). */
  readonly declaredFps: number | null;
  /** Frame rate measured on arrival over the last seconds. */
  readonly measuredFps: number | null;
  readonly bitrateKbps: number | null;
  readonly encoder: string | null;
  readonly startedAt: string | null;
}

export type IngestView =
  | { readonly state: 'receiving'; readonly details: IngestDetails }
  /** The media server answered and has no stream under this channel's name. */
  | { readonly state: 'not-receiving' }
  /** No figures: the media server could not be asked, or does not report them. */
  | { readonly state: 'unavailable'; readonly reason: string };

export interface StreamHealth {
  readonly slug: string;
  readonly isLive: boolean;
  readonly liveSince: string | null;
  readonly lastLiveAt: string | null;
  readonly viewers: number;
  /** Highest viewer count of the current session (null when offline). */
  readonly peakViewers: number | null;
  readonly ingest: IngestView;
  readonly hints: readonly string[];
}

const num = z.number().nullable().optional().catch(null);
const str = z.string().max(200).nullable().optional().catch(null);

/** Lenient on purpose: a newer media server may add or drop fields; what we cannot read is shown as unknown. */
const detailsSchema = z.object({
  videoCodec: str,
  audioCodec: str,
  width: num,
  height: num,
  declaredFps: num,
  measuredFps: num,
  measuredBitrateKbps: num,
  encoder: str,
  startedAt: str,
});

export function parseIngestDetails(info: LiveStreamInfo): IngestDetails {
  const d = detailsSchema.parse(info.details);
  return {
    videoCodec: d.videoCodec ?? null,
    audioCodec: d.audioCodec ?? null,
    width: d.width ?? null,
    height: d.height ?? null,
    declaredFps: d.declaredFps ?? null,
    measuredFps: d.measuredFps ?? null,
    bitrateKbps: d.measuredBitrateKbps ?? null,
    encoder: d.encoder ?? null,
    startedAt: d.startedAt ?? null,
  };
}

/** Plain-language warnings a streamer can act on; empty when everything looks right. */
export function ingestHints(details: IngestDetails): string[] {
  const hints: string[] = [];
  if (details.videoCodec === null) hints.push('No video is arriving yet. Check the video source and encoder in OBS.');
  else if (details.videoCodec !== 'h264') {
    hints.push(`The video codec is ${details.videoCodec.toUpperCase()}: not every browser can play it. H.264 (x264) works everywhere.`);
  }
  if (details.audioCodec === null) hints.push('No audio track is arriving. Viewers will hear nothing.');
  if (details.declaredFps !== null && details.measuredFps !== null && details.declaredFps > 0 && details.measuredFps < details.declaredFps * 0.8) {
    hints.push(
      `Frames arrive at ${details.measuredFps.toFixed(1)} fps although OBS is set to ${details.declaredFps} fps: the encoder or the upload cannot keep up.`,
    );
  }
  if (details.bitrateKbps !== null && details.bitrateKbps > 12_000) {
    hints.push(`The bitrate is ${Math.round(details.bitrateKbps)} kbps: many viewers cannot download that much. 2,500–6,000 kbps is typical.`);
  }
  return hints;
}

export interface StreamHealthInput {
  readonly db: Db;
  readonly channel: { id: string; slug: string; isLive: boolean; liveSince: Date | null; lastLiveAt: Date | null };
  readonly viewers: number;
  readonly mediaServer: MediaServerKind;
  readonly mediaServerApiUrl: string;
  /** MEDIA_SERVER_API_TOKEN: the bearer for /api/streams. */
  readonly mediaServerApiToken?: string | undefined;
  /** RTMP application the streams are published under. */
  readonly app?: string;
  readonly fetchImpl?: typeof fetch;
}

export async function getStreamHealth(input: StreamHealthInput): Promise<StreamHealth> {
  const { db, channel } = input;
  const [session, ingest] = await Promise.all([
    channel.isLive
      ? db.streamSession.findFirst({ where: { channelId: channel.id, endedAt: null }, orderBy: { startedAt: 'desc' }, select: { peakViewers: true } })
      : Promise.resolve(null),
    readIngest(input),
  ]);
  return {
    slug: channel.slug,
    isLive: channel.isLive,
    liveSince: channel.isLive ? (channel.liveSince?.toISOString() ?? null) : null,
    lastLiveAt: channel.lastLiveAt?.toISOString() ?? null,
    viewers: input.viewers,
    peakViewers: channel.isLive ? Math.max(session?.peakViewers ?? 0, input.viewers) : null,
    ingest,
    hints: ingest.state === 'receiving' ? ingestHints(ingest.details) : [],
  };
}

async function readIngest(input: StreamHealthInput): Promise<IngestView> {
  if (input.mediaServer === 'nginx-rtmp') {
    // nginx-rtmp's only report is /stat, which lists stream keys; the shipped config disables it.
    return { state: 'unavailable', reason: 'nginx-rtmp does not report stream details to OnAir.' };
  }
  let streams: LiveStreamInfo[];
  try {
    streams = await fetchLiveStreams(input.mediaServerApiUrl, { timeoutMs: 2_000, fetchImpl: input.fetchImpl, token: input.mediaServerApiToken });
  } catch (error) {
    return { state: 'unavailable', reason: `The media server could not be asked: ${errorMessage(error)}` };
  }
  const app = input.app ?? 'live';
  const stream = streams.find((s) => s.name === input.channel.slug && s.app === app);
  return stream ? { state: 'receiving', details: parseIngestDetails(stream) } : { state: 'not-receiving' };
}
