// The live machinery of one web-app process, built on first use: presence, the status hub and
// the thumbnail store, wired to the database and the environment. Kept on globalThis like the
// Prisma client: Next.js may evaluate this module once per route bundle (and again on every edit
// in development), but there must be exactly one viewer registry and one poll loop per process.
//
// lib/live: live-hub.ts (the poll loop; live-data.ts is its Prisma storage, peak-tracker.ts its peak
// bookkeeping), presence.ts (viewers; rtmp-players.ts adds RTMP players to it), event-stream.ts + sse.ts (the text/event-stream responses),
// thumbnails.ts + placeholder.ts, stream-health.ts (the dashboard's panel), types.ts (what the
// browser receives), slug.ts. Time and logs come from lib/clock.ts and lib/logger.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../clock';
import { getDb } from '../db';
import { getEnv } from '../env';
import { buildPlaylistUrl } from '../hls-url';
import { consoleLogger, errorMessage } from '../logger';
import { prismaLiveData } from './live-data';
import { AddressSlots } from './address-slots';
import { LiveHub, type ChannelRow } from './live-hub';
import { ViewerPresence } from './presence';
import { RtmpPlayers } from './rtmp-players';
import { ffmpegFrameGrabber, ThumbnailStore } from './thumbnails';

export interface LiveRuntime {
  readonly presence: ViewerPresence;
  /** RTMP players counted in `presence` (on_play / on_play_done). */
  readonly rtmpPlayers: RtmpPlayers;
  readonly hub: LiveHub;
  readonly thumbnails: ThumbnailStore;
  /**
   * Open event streams per client address, all channels together (EVENT_STREAMS_PER_ADDRESS):
   * presence only caps how many of an address's streams count, not how many it may hold open.
   */
  readonly streamSlots: AddressSlots;
  /** Where this server (not the viewer) reads a channel's HLS, for thumbnails. */
  serverPlaylistUrl(slug: string): string;
}

const globalForLive = globalThis as typeof globalThis & { __onairLive?: LiveRuntime };

export function getLiveRuntime(): LiveRuntime {
  globalForLive.__onairLive ??= createLiveRuntime();
  return globalForLive.__onairLive;
}

function createLiveRuntime(): LiveRuntime {
  const env = getEnv();
  const clock = systemClock;
  // The viewer-facing default base depends on the viewer's Host header; the server itself reaches
  // the bundled media server on loopback.
  const serverBase = env.PUBLIC_HLS_URL ?? `http://127.0.0.1:${env.MEDIA_HTTP_PORT}/${env.RTMP_APP}`;
  const serverPlaylistUrl = (slug: string) => buildPlaylistUrl({ base: serverBase, slug, mediaServer: env.MEDIA_SERVER });

  // Frames are disposable: a per-process temp folder, removed when the process exits.
  const dir = mkdtempSync(join(tmpdir(), 'onair-thumbnails-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const thumbnails = new ThumbnailStore({ dir, grabber: ffmpegFrameGrabber(), clock });

  let liveBefore = new Set<string>();
  const onLiveChannels = (live: readonly ChannelRow[]) => {
    const now = new Set(live.map((row) => row.slug));
    for (const slug of now) void thumbnails.refresh(slug, serverPlaylistUrl(slug));
    for (const slug of liveBefore) {
      if (!now.has(slug)) {
        thumbnails.forget(slug).catch((error: unknown) => consoleLogger.warn('thumbnail_not_removed', { slug, error: errorMessage(error) }));
      }
    }
    liveBefore = now;
  };

  const presence = new ViewerPresence({ clock, perAddress: env.VIEWERS_PER_ADDRESS });
  const hub = new LiveHub({ source: prismaLiveData(getDb()), presence, clock, onLiveChannels });
  const streamSlots = new AddressSlots({ perAddress: env.EVENT_STREAMS_PER_ADDRESS });
  return { presence, rtmpPlayers: new RtmpPlayers({ presence }), hub, thumbnails, streamSlots, serverPlaylistUrl };
}
