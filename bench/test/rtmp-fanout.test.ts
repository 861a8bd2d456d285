// The rtmp-fanout phase's pieces in-process: the light player against OnAir's RTMP server with
// playback (media written straight into its sink, loopback sockets), the run summary and the
// verdict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPlayHooks } from '../../media-server/src/hooks/on-play.js';
import { createPublishHooks } from '../../media-server/src/hooks/on-publish.js';
import { createMemoryLogger } from '../../media-server/src/logger.js';
import { LivePlayback } from '../../media-server/src/rtmp/live-playback.js';
import { RtmpServer } from '../../media-server/src/rtmp/server.js';
import { StreamRegistry } from '../../media-server/src/streams/stream-registry.js';
import type { RtmpFanoutPhaseResult } from '../lib/phases/rtmp-fanout.js';
import { summarizeRun } from '../lib/rtmp-fanout-stats.js';
import { rtmpFanoutVerdicts } from '../lib/report/rtmp-fanout-section.js';
import { RtmpPlayReader, type ReaderStats } from '../lib/rtmp-play-reader.js';
import { sleep } from '../lib/time.js';

describe('rtmp-fanout', () => {
  it('the light player plays a live stream from OnAir and counts its media', async () => {
    const logger = createMemoryLogger();
    const playback = new LivePlayback({ chunkSize: 4096, maxQueueBytes: 1 << 20, maxBehindMs: 5000, maxGopBytes: 1 << 20 });
    const server = new RtmpServer({
      host: '127.0.0.1', port: 0, app: 'live', logger, hooks: createPublishHooks({ timeoutMs: 1000, logger }), playback,
      playHooks: createPlayHooks({ timeoutMs: 1000, logger }), outputs: playback, registry: new StreamRegistry(), idleTimeoutMs: 10_000,
    });
    const port = await server.listen();
    const sink = playback.open({ app: 'live', name: 'bench', publishedAt: new Date() });
    sink.write({ type: 'video-config', codec: 'h264', record: new Uint8Array([1, 0x64, 0, 0x15, 0xff, 0xe1]) });
    sink.write({ type: 'audio-config', codec: 'aac', config: new Uint8Array([0x12, 0x10]) });
    const start = Date.now();
    const feed = setInterval(() => {
      const t = Date.now() - start;
      sink.write({ type: 'video', timestamp: t, compositionOffset: 0, keyframe: t % 1000 < 40, data: new Uint8Array(5000) });
      sink.write({ type: 'audio', timestamp: t, data: new Uint8Array(200) });
      // Players get what a publisher read brought when the server flushes after it (as RtmpServer does).
      sink.flush?.();
    }, 40);
    const reader = new RtmpPlayReader(`rtmp://127.0.0.1:${port}/live/bench`);
    let stats: ReaderStats;
    try {
      reader.start();
      await sleep(1200);
      reader.markWindowStart();
      await sleep(1000);
      stats = reader.stop();
    } finally {
      clearInterval(feed);
      sink.end('unpublish');
      await server.close();
    }
    assert.equal(stats.started, true);
    assert.equal(stats.failed, false, stats.firstError);
    assert.ok(stats.windowMessages >= 30, `${stats.windowMessages} messages in 1 s`);
    assert.ok(stats.windowBytes >= 100_000, `${stats.windowBytes} bytes in 1 s`);
    assert.ok(stats.maxLagMs < 500, `lag ${stats.maxLagMs} ms`);
  });

  it('a player that never starts, fails or goes silent counts as stalled', () => {
    const ok: ReaderStats = { started: true, failed: false, windowMessages: 100, windowBytes: 300_000, maxGapMs: 50, maxLagMs: 20, endLagMs: 5 };
    const run = summarizeRun('OnAir', 4, [ok, { ...ok, maxGapMs: 2500, maxLagMs: 900 }, { ...ok, failed: true, firstError: 'closed by the server' }, { ...ok, started: false }], 1000);
    assert.equal(run.stalled, 3);
    assert.equal(run.notStarted, 1);
    assert.equal(run.failed, 1);
    assert.equal(run.firstError, 'closed by the server');
    assert.equal(run.lag.max, 900);
    assert.equal(run.mediaBytesPerSecond, 300_000);
  });

  it('the verdict compares CPU per player above the baseline when there is one, at each count, and keeps the worst', () => {
    const run = (server: string, players: number, marginalCpuPerPlayerPercent: number) =>
      ({ server, players, cpuPerPlayerPercent: 99, marginalCpuPerPlayerPercent }) as RtmpFanoutPhaseResult['runs'][number];
    const result = { config: { counts: [50, 200] }, runs: [run('nginx-rtmp', 50, 0.1), run('OnAir', 50, 0.12), run('nginx-rtmp', 200, 0.05), run('OnAir', 200, 0.09)] } as RtmpFanoutPhaseResult;
    const v = rtmpFanoutVerdicts(result);
    assert.deepEqual(v.ratios.map((r) => [r.players, Number(r.ratio.toFixed(2))]), [[50, 1.2], [200, 1.8]]);
    assert.equal(v.worstAt, 200);
  });
});
