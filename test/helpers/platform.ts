// The whole platform for end-to-end tests: the REAL web app (startWebApp: production build,
// fresh database, fresh secrets) and the REAL bundled media server run from source, wired
// together the way `npm start` wires them:
//   media server --on-publish      -> <app>/api/rtmp/on-publish?secret=...
//                --on-publish-done -> <app>/api/rtmp/on-publish-done?secret=...
//                --on-play, --on-play-done -> <app>/api/rtmp/on-play(-done)?secret=...
//   web app      PUBLIC_HLS_URL=http://127.0.0.1:<mediaHttpPort>/live, PUBLIC_RTMP_URL, MEDIA_SERVER_API_URL
//   both         MEDIA_SERVER_API_TOKEN (the app's fresh token; environment only, as npm start does)
//   with recordDir: RECORD_DIR for both, and the media server's ON_RECORD_DONE_URL ->
//                <app>/api/rtmp/on-record-done?secret=... (environment, as npm start does)
//
//   const platform = await startPlatform();
//   const alice = await platform.createStreamer('alice');     // user + channel + stream key in the app's DB
//   publishTestPattern({ url: platform.publishUrl(alice.streamKey) });
//   ... platform.app.url, platform.hlsUrl('alice') ...
//   await startPlatform({ recordDir })                        // past broadcasts, wired as npm start does
//   await platform.crashMedia(); await platform.restartMedia(); // SIGKILL, then the same command again
//   await platform.stop();
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { createDb, type Db } from '../../lib/db';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort, type ManagedProcess } from '../../media-server/test/helpers/process.js';
import { startWebApp, type WebApp } from './web-app';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const mediaServerMain = join(root, 'media-server', 'src', 'main.ts');

export const RTMP_APP = 'live';

export interface Streamer {
  userId: string;
  channelId: string;
  slug: string;
  /** The secret stream key (only the publisher ever sees it). */
  streamKey: string;
}

export interface Platform {
  app: WebApp;
  /** The media server process running now (a new one after restartMedia()). */
  readonly media: ManagedProcess;
  rtmpPort: number;
  mediaHttpPort: number;
  /** rtmp://127.0.0.1:<port>/live (what the dashboard shows as "Server"). */
  rtmpUrl: string;
  /** http://127.0.0.1:<mediaHttpPort>/live (the app's PUBLIC_HLS_URL). */
  hlsBase: string;
  /** A client on the app's database. */
  db: Db;
  /** rtmp://127.0.0.1:<port>/live/<key>: where a publisher sends the stream. */
  publishUrl(streamKey: string): string;
  /** The playlist a viewer's player loads for a channel. */
  hlsUrl(slug: string): string;
  /** Creates a user with its channel and a fresh stream key, directly in the app's database. */
  createStreamer(username: string, options?: { displayName?: string; title?: string }): Promise<Streamer>;
  /** Everything both servers printed, for failure messages. */
  output(): string;
  /** Kills the media server with SIGKILL (a crash: nothing finished, nothing announced). */
  crashMedia(): Promise<void>;
  /** Starts the media server again with the same flags and environment. */
  restartMedia(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartPlatformOptions {
  /** Extra environment for the web app. */
  appEnv?: Record<string, string>;
  /** Extra command-line flags for the media server. */
  mediaArgs?: string[];
  /** Record past broadcasts here (RECORD_DIR of both processes, on_record_done wired). */
  recordDir?: string;
}

export async function startPlatform(options: StartPlatformOptions = {}): Promise<Platform> {
  const [rtmpPort, mediaHttpPort] = [await freePort(), await freePort()];
  const rtmpUrl = `rtmp://127.0.0.1:${rtmpPort}/${RTMP_APP}`;
  const hlsBase = `http://127.0.0.1:${mediaHttpPort}/${RTMP_APP}`;
  const recording: Record<string, string> = options.recordDir === undefined ? {} : { RECORD_DIR: options.recordDir };
  const app = await startWebApp({
    env: {
      PUBLIC_HLS_URL: hlsBase,
      PUBLIC_RTMP_URL: rtmpUrl,
      MEDIA_HTTP_PORT: String(mediaHttpPort),
      MEDIA_SERVER_API_URL: `http://127.0.0.1:${mediaHttpPort}/api/streams`,
      ...recording,
      ...options.appEnv,
    },
  });
  // The media server as npm start runs it; restartMedia() starts the same command again.
  const launchMedia = async (): Promise<ManagedProcess> => {
    const started = startProcess(process.execPath, [
      '--import', 'tsx', mediaServerMain,
      '--rtmp-port', String(rtmpPort),
      '--http-port', String(mediaHttpPort),
      '--app', RTMP_APP,
      '--on-publish', app.callbackUrl('on-publish'),
      '--on-publish-done', app.callbackUrl('on-publish-done'),
      '--on-play', app.callbackUrl('on-play'),
      '--on-play-done', app.callbackUrl('on-play-done'),
      ...(options.mediaArgs ?? []),
    ], {
      cwd: root,
      env: {
        ...process.env,
        MEDIA_SERVER_API_TOKEN: app.mediaServerApiToken,
        ...recording,
        ...(options.recordDir === undefined ? {} : { ON_RECORD_DONE_URL: app.callbackUrl('on-record-done') }),
      },
    });
    try {
      await Promise.race([
        Promise.all([waitForPort(rtmpPort, 30_000), waitForPort(mediaHttpPort, 30_000)]),
        started.exited().then((code) => {
          throw new Error(`media server exited with ${code}:\n${started.output().slice(-4000)}`);
        }),
      ]);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  };
  let mediaProcess: ManagedProcess;
  try {
    mediaProcess = await launchMedia();
  } catch (error) {
    await app.stop();
    throw error;
  }
  /** What earlier media server processes printed (after a crash and restart). */
  let earlierMediaOutput = '';
  const db = createDb(app.databaseUrl);

  return {
    app,
    get media() {
      return mediaProcess;
    },
    rtmpPort,
    mediaHttpPort,
    rtmpUrl,
    hlsBase,
    db,
    publishUrl: (streamKey) => `${rtmpUrl}/${streamKey}`,
    hlsUrl: (slug) => `${hlsBase}/${slug}/index.m3u8`,
    async createStreamer(username, { displayName, title } = {}) {
      const { user, channel } = await createUserWithChannel(db, { username, passwordHash: null, displayName: displayName ?? null });
      if (title !== undefined) await db.channel.update({ where: { id: channel.id }, data: { title } });
      const { key } = await resetStreamKey(db, user.id);
      return { userId: user.id, channelId: channel.id, slug: channel.slug, streamKey: key };
    },
    output: () => `--- web app ---\n${app.output().slice(-6000)}\n--- media server ---\n${(earlierMediaOutput + mediaProcess.output()).slice(-6000)}`,
    async crashMedia() {
      // SIGKILL by PID: no shutdown code runs, as in a crash or a power cut.
      process.kill(mediaProcess.pid, 'SIGKILL');
      await mediaProcess.exited();
      earlierMediaOutput += mediaProcess.output();
    },
    async restartMedia() {
      mediaProcess = await launchMedia();
    },
    async stop() {
      await db.$disconnect();
      await mediaProcess.stop();
      await app.stop();
    },
  };
}
