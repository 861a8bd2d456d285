// An HlsService on a real loopback HTTP server, plus a synthetic publisher that writes what
// ingest would: configs, then 30 fps video (keyframe every `gop`) and 44.1 kHz AAC frames
// with RTMP millisecond timestamps. Used by the service tests; no wall-clock pacing.
import { createHlsService, type HlsService, type HlsServiceOptions } from '../../../src/hls/hls-service.js';
import { createHttpListener } from '../../../src/http/server.js';
import { createMemoryLogger } from '../../../src/logger.js';
import type { StreamSink } from '../../../src/media/types.js';
import { avcC1920x1080 } from '../../codec/records.js';

export interface Harness {
  service: HlsService;
  base: string;
  logger: ReturnType<typeof createMemoryLogger>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<HlsServiceOptions> = {}): Promise<Harness> {
  const logger = createMemoryLogger();
  const service = createHlsService({ segmentDurationMs: 2000, partDurationMs: 200, windowSegments: 7, memorySegments: 7, endGraceMs: 10_000, logger, ...options });
  const server = createHttpListener((req, res, info) => {
    if (!service.handle(req, res, info)) {
      res.writeHead(418);
      res.end('not hls');
    }
  });
  const port = await server.listen(0, '127.0.0.1');
  return {
    service,
    base: `http://127.0.0.1:${port}`,
    logger,
    async close() {
      await service.close();
      await server.close();
    },
  };
}

export class SyntheticPublisher {
  private videoIndex = 0;
  private audioIndex = 0;

  constructor(
    readonly sink: StreamSink,
    private readonly options: { gop?: number; audio?: boolean; video?: boolean; startMs?: number } = {},
  ) {
    if (options.video !== false) sink.write({ type: 'video-config', codec: 'h264', record: Buffer.from(avcC1920x1080, 'hex') });
    if (options.audio !== false) sink.write({ type: 'audio-config', codec: 'aac', config: Uint8Array.of(0x12, 0x10) });
  }

  private get startMs(): number {
    return this.options.startMs ?? 0;
  }

  /** Sends media up to (and including) video frame `lastIndex`, interleaved by time. */
  videoUntil(lastIndex: number): void {
    while (this.videoIndex <= lastIndex) {
      const ms = Math.round((this.videoIndex * 1000) / 30);
      this.audioUntilMs(ms);
      if (this.options.video !== false) {
        const keyframe = this.videoIndex % (this.options.gop ?? 30) === 0;
        this.sink.write({ type: 'video', timestamp: (this.startMs + ms) >>> 0, compositionOffset: 0, keyframe, data: new Uint8Array(200).fill(this.videoIndex & 0xff) });
      }
      this.videoIndex++;
    }
  }

  audioUntilMs(ms: number): void {
    if (this.options.audio === false) return;
    while (Math.round((this.audioIndex * 1024 * 1000) / 44_100) <= ms) {
      const at = Math.round((this.audioIndex * 1024 * 1000) / 44_100);
      this.sink.write({ type: 'audio', timestamp: (this.startMs + at) >>> 0, data: new Uint8Array(30).fill(1) });
      this.audioIndex++;
    }
  }
}
