// The one place that constructs and wires the media server: config in, listeners out.
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import { warmUpNotifyClient } from './hooks/notify-form.js';
import { createPlayHooks } from './hooks/on-play.js';
import { createPublishHooks } from './hooks/on-publish.js';
import { createHlsService } from './hls/hls-service.js';
import { ReadBudget } from './hls/read-budget.js';
import { createSpillDir } from './hls/spill-dir.js';
import { RecordDoneNotifier } from './recordings/record-done.js';
import { announceRecovered, recoverRecordings } from './recordings/recovery.js';
import { createRecordingsHandler } from './recordings/routes.js';
import { bearerChecker } from './http/bearer-token.js';
import { createHttpServer } from './http/server.js';
import type { Logger } from './logger.js';
import { defaultChunkReaderLimits, defaultPreAuthChunkReaderLimits } from './rtmp/chunk-reader.js';
import { LivePlayback } from './rtmp/live-playback.js';
import { RtmpServer } from './rtmp/server.js';
import { defaultOutgoingChunkSize } from './rtmp/session.js';
import { fanOut } from './streams/fan-out.js';
import { StatsCollector } from './streams/stats-collector.js';
import { StreamRegistry } from './streams/stream-registry.js';

export interface RunningMediaServer {
  readonly rtmpPort: number;
  readonly httpPort: number;
  /** Stops accepting, ends live streams (posting on_publish_done), closes listeners. */
  close(): Promise<void>;
}

export async function startMediaServer(config: Config, logger: Logger): Promise<RunningMediaServer> {
  const stats = new StatsCollector();
  // Segments that leave memory need files: the public --hls-dir copy, else a private directory.
  const spill = config.hlsDir === undefined && config.hlsMemorySegments < config.hlsWindowSegments ? await createSpillDir(tmpdir(), logger) : undefined;
  // File-served bytes in flight, live segments and recordings alike.
  const readBudget = new ReadBudget(config.hlsFileReadBudgetMb * 1024 * 1024);
  const recordDir = config.recordDir === undefined ? undefined : resolve(config.recordDir);
  const notifier = new RecordDoneNotifier({ url: config.onRecordDoneUrl, timeoutMs: config.callbackTimeoutMs, logger });
  // Before any publish: what the previous server left unfinished is finished now, announced in the background.
  if (recordDir !== undefined) {
    const recovered = await recoverRecordings(recordDir, notifier, logger);
    void announceRecovered(recovered, notifier);
  }
  const hls = createHlsService({
    segmentDurationMs: config.segmentDurationMs,
    partDurationMs: config.partDurationMs,
    windowSegments: config.hlsWindowSegments,
    rewindSeconds: config.recordRewindHours * 3600,
    memorySegments: config.hlsMemorySegments,
    hlsDir: config.hlsDir,
    spillDir: spill?.dir,
    endGraceMs: config.endGraceMs,
    maxHeldPerStream: config.hlsMaxHeldPerStream,
    maxHeldPerAddress: config.hlsMaxHeldPerAddress,
    refusalDelayMs: config.hlsRefusalDelayMs,
    readBudget,
    recorder:
      recordDir === undefined
        ? undefined
        : {
            recordDir,
            // GiB, as the web app counts RECORDINGS_MIN_FREE_GB (lib/recordings/disk.ts): one env value,
            // one floor, so the web app never asks to record on a disk the media server refuses.
            minFreeBytes: config.recordMinFreeGb * 1024 ** 3,
            writeBudget: new ReadBudget(config.recordMaxQueueMb * 1024 * 1024),
            notifier,
          },
    logger,
  });
  const playback = new LivePlayback({
    chunkSize: defaultOutgoingChunkSize,
    maxQueueBytes: config.rtmpPlayMaxQueueBytes,
    maxBehindMs: config.rtmpPlayMaxBehindMs,
    maxGopBytes: config.rtmpGopCacheMaxBytes,
  });
  const outputs = fanOut([stats, hls, playback], (error, stream) => {
    logger.error('stream output failed', { app: stream.app, name: stream.name, error: error instanceof Error ? error.message : String(error) });
  });
  if ([config.onPublishUrl, config.onPublishDoneUrl, config.onRecordDoneUrl, config.onPlayUrl, config.onPlayDoneUrl].some((url) => url !== undefined)) {
    // Not fatal: without it the first callback is only slower.
    await warmUpNotifyClient().catch((error: unknown) => logger.warn('callback client warm-up failed', { error: error instanceof Error ? error.message : String(error) }));
  }
  const hooks = createPublishHooks({
    onPublishUrl: config.onPublishUrl,
    onPublishDoneUrl: config.onPublishDoneUrl,
    timeoutMs: config.callbackTimeoutMs,
    logger,
  });
  const rtmp = new RtmpServer({
    host: config.host,
    port: config.rtmpPort,
    app: config.app,
    logger,
    hooks,
    playback,
    playHooks: createPlayHooks({ onPlayUrl: config.onPlayUrl, onPlayDoneUrl: config.onPlayDoneUrl, timeoutMs: config.callbackTimeoutMs, logger }),
    outputs,
    registry: new StreamRegistry(),
    idleTimeoutMs: config.idleTimeoutSeconds * 1000,
    authTimeoutMs: config.authTimeoutMs,
    maxConnections: config.rtmpMaxConnections,
    maxConnectionsPerAddress: config.rtmpMaxConnectionsPerAddress,
    sessionOptions: {
      preAuthChunkReaderLimits: {
        ...defaultPreAuthChunkReaderLimits,
        maxMessageSize: config.rtmpPreAuthMaxMessageBytes,
        maxChunkStreams: config.rtmpPreAuthMaxChunkStreams,
        maxPendingBytes: 4 * config.rtmpPreAuthMaxMessageBytes,
      },
      chunkReaderLimits: {
        ...defaultChunkReaderLimits,
        maxMessageSize: config.rtmpMaxMessageBytes,
        maxChunkStreams: config.rtmpMaxChunkStreams,
        maxPendingBytes: 2 * config.rtmpMaxMessageBytes,
      },
    },
  });
  const http = createHttpServer({
    logger,
    listStreams: () => stats.list(),
    startedAt: new Date(),
    hls,
    recordings: createRecordingsHandler({ recordDir, apiToken: config.apiToken, readBudget, logger }),
    authorizeApi: bearerChecker(config.apiToken),
    kick: (app, name) => rtmp.kick(app, name),
    trustProxy: config.trustProxy,
    limits: {
      maxConnections: config.httpMaxConnections,
      maxConnectionsPerAddress: config.httpMaxConnectionsPerAddress,
      maxPipelinedRequests: config.httpMaxPipelined,
      writeStallTimeoutMs: config.httpWriteStallTimeoutMs,
      headersTimeoutMs: config.httpHeadersTimeoutMs,
      keepAliveTimeoutMs: config.httpKeepAliveTimeoutMs,
      maxHeaderBytes: config.httpMaxHeaderBytes,
    },
  });
  let httpPort: number;
  let rtmpPort: number;
  try {
    httpPort = await http.listen(config.httpPort, config.host);
    rtmpPort = await rtmp.listen();
  } catch (error) {
    await http.close();
    await hls.close();
    notifier.close();
    await spill?.remove();
    throw error;
  }
  logger.info('media server listening', { rtmp: `${config.host}:${rtmpPort}`, http: `${config.host}:${httpPort}`, app: config.app });
  return {
    rtmpPort,
    httpPort,
    async close() {
      // RTMP first: ending the publishes ends the HLS streams (ENDLIST) and posts on_publish_done.
      await rtmp.close();
      // Recordings are finished (VOD) by closing HLS; an on_record_done not answered by now is
      // announced again at the next start.
      await hls.close();
      notifier.close();
      await spill?.remove();
      await http.close();
    },
  };
}
