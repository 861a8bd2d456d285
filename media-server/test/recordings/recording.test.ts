// One recording against a real temp folder and a real HTTP callback server: segments and the
// playlist on disk, on_record_done with its fields and bounded retries, the marker that survives an
// unanswered announcement, a low disk (before the start and while recording), a disk that cannot
// keep up (the shared write budget), and start-up recovery.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReadBudget } from '../../src/hls/read-budget.js';
import { createMemoryLogger } from '../../src/logger.js';
import { RecordDoneNotifier, pendingMarker, readPendingMarker } from '../../src/recordings/record-done.js';
import { serializeMediaPlaylist } from '../../src/hls/playlist.js';
import { buildRecordingPlaylist } from '../../src/recordings/recording-playlist.js';
import { newBroadcastId, Recording, type RecordingOptions, type SegmentToRecord } from '../../src/recordings/recording.js';
import { announceRecovered, recoverRecordings } from '../../src/recordings/recovery.js';
import { startHookServer, type HookAnswer } from '../helpers/hook-server.js';
import { withTempDir } from '../helpers/temp-dir.js';

const logger = createMemoryLogger();

function segment(msn: number, bytes = 1000, discontinuity = false, initId = 0, duration = 1): SegmentToRecord {
  const chunk = new Uint8Array(bytes).fill(msn + 1);
  return { msn, initId, discontinuity, programDateTime: new Date(Date.UTC(2026, 0, 1) + msn * 1000), duration, chunks: [chunk.subarray(0, bytes / 2), chunk.subarray(bytes / 2)], size: bytes };
}

async function withHooks<T>(answer: (index: number) => HookAnswer, run: (url: string, count: () => number) => Promise<T>): Promise<T> {
  let index = 0;
  const hooks = await startHookServer(() => answer(index++));
  try {
    return await run(hooks.url('/on-record-done?secret=s'), () => hooks.requests.length);
  } finally {
    await hooks.close();
  }
}

function recordingIn(dir: string, url: string | undefined, overrides: Partial<RecordingOptions> = {}): { recording: Recording; stopped: number[]; notifier: RecordDoneNotifier } {
  const stopped: number[] = [];
  const notifier = new RecordDoneNotifier({ url, timeoutMs: 1000, logger, retryDelaysMs: [20, 20] });
  const recording = new Recording({
    recordDir: dir,
    app: 'live',
    name: 'chan',
    broadcastId: 'abcdef0123',
    segmentTarget: 1,
    minFreeBytes: 0,
    writeBudget: new ReadBudget(64 << 20),
    notifier,
    logger,
    now: () => 0,
    addr: '192.0.2.7',
    clientId: 42,
    onStopped: (msn) => stopped.push(msn),
    ...overrides,
  });
  return { recording, stopped, notifier };
}

describe('Recording', () => {
  it('names broadcasts by start time, within the contract pattern', () => {
    const earlier = newBroadcastId(Date.UTC(2026, 0, 1));
    const later = newBroadcastId(Date.UTC(2026, 0, 2));
    assert.match(earlier, /^[a-z0-9]{8,32}$/);
    assert.ok(earlier < later);
  });

  it('writes init, segments and an EVENT playlist, then VOD and announces once with the contract fields', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 204 }),
        async (url, count) => {
          const { recording } = recordingIn(dir, url);
          const folder = join(dir, 'live', 'chan', 'abcdef0123');
          recording.addInit(0, new Uint8Array([1, 2, 3]));
          assert.equal(await recording.addSegment(segment(0)), true);
          assert.equal(await recording.addSegment(segment(1)), true);
          assert.equal(recording.segmentPath(1), join(folder, 'seg-1.m4s'));
          assert.equal(recording.segmentPath(2), undefined);
          const live = await readFile(join(folder, 'index.m3u8'), 'utf8');
          assert.match(live, /#EXT-X-PLAYLIST-TYPE:EVENT\n/);
          assert.doesNotMatch(live, /ENDLIST/);
          assert.deepEqual(await readFile(join(folder, 'seg-1.m4s')), Buffer.from(new Uint8Array(1000).fill(2)));
          await recording.finish('ended');
          await recording.finish('ended');
          const vod = await readFile(join(folder, 'index.m3u8'), 'utf8');
          assert.match(vod, /#EXT-X-PLAYLIST-TYPE:VOD\n[^]*seg-1\.m4s\n#EXT-X-ENDLIST\n$/);
          assert.equal(count(), 1);
          assert.deepEqual((await readdir(folder)).sort(), ['index.m3u8', 'init-0.mp4', 'seg-0.m4s', 'seg-1.m4s']);
          assert.equal(await recording.addSegment(segment(2)), false, 'nothing is added after the end');
        },
      ),
    ));

  it('posts the nginx-rtmp style form', () =>
    withTempDir('onair-rec-', async (dir) => {
      const hooks = await startHookServer(() => ({ status: 200 }));
      try {
        const { recording } = recordingIn(dir, hooks.url('/on-record-done?secret=s'));
        await recording.addSegment(segment(0));
        await recording.finish('ended');
        const [request] = hooks.requests;
        assert.equal(request?.path, '/on-record-done?secret=s');
        assert.equal(request?.rawHeaders[request.rawHeaders.findIndex((h) => h.toLowerCase() === 'content-type') + 1], 'application/x-www-form-urlencoded');
        assert.equal(
          request?.body,
          `app=live&addr=192.0.2.7&clientid=42&call=record_done&recorder=onair&name=chan&path=${join(dir, 'live', 'chan', 'abcdef0123', 'index.m3u8')}&onair_broadcast=abcdef0123&onair_reason=ended`,
        );
      } finally {
        await hooks.close();
      }
    }));

  it('retries a failed announcement a bounded number of times, then keeps the marker for the next start', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        (index) => ({ status: index < 2 ? 503 : 200 }),
        async (url, count) => {
          const { recording } = recordingIn(dir, url);
          await recording.addSegment(segment(0));
          await recording.finish('ended');
          assert.equal(count(), 3, 'two failures, then accepted');
          assert.equal(await readPendingMarker(join(dir, 'live', 'chan', 'abcdef0123')), undefined);
        },
      ).then(() =>
        withHooks(
          () => ({ status: 500 }),
          async (url, count) => {
            const { recording } = recordingIn(join(dir, 'second'), url);
            await recording.addSegment(segment(0));
            await recording.finish('ended');
            assert.equal(count(), 3, 'one try and two retries');
            const folder = join(dir, 'second', 'live', 'chan', 'abcdef0123');
            assert.deepEqual(await readPendingMarker(folder), { app: 'live', name: 'chan', broadcastId: 'abcdef0123', path: join(folder, 'index.m3u8'), reason: 'ended', addr: '192.0.2.7', clientId: 42 });
            // The next start finds it and announces it again.
            const recovered = await recoverRecordings(join(dir, 'second'), new RecordDoneNotifier({ url, timeoutMs: 1000, logger }), logger);
            assert.equal(recovered.length, 1);
            assert.equal(recovered[0]?.fields.reason, 'ended');
          },
        ),
      ),
    ));

  it("does not retry the web app's 4xx refusal (it cannot succeed as it is), keeps the marker for the next start; 408 and 429 are retried", () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 400 }),
        async (url, count) => {
          const { recording } = recordingIn(dir, url);
          await recording.addSegment(segment(0));
          await recording.finish('ended');
          assert.equal(count(), 1, 'one try, no retries');
          assert.equal((await readPendingMarker(join(dir, 'live', 'chan', 'abcdef0123')))?.reason, 'ended');
        },
      ).then(() =>
        withHooks(
          (index) => ({ status: index === 0 ? 429 : index === 1 ? 408 : 204 }),
          async (url, count) => {
            const { recording } = recordingIn(join(dir, 'second'), url);
            await recording.addSegment(segment(0));
            await recording.finish('ended');
            assert.equal(count(), 3, '429 and 408 retried, then accepted');
            assert.equal(await readPendingMarker(join(dir, 'second', 'live', 'chan', 'abcdef0123')), undefined);
          },
        ),
      ),
    ));

  it('a recording finished at shutdown (announcements closed) keeps its marker for the next start', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 200 }),
        async (url, count) => {
          const { recording, notifier } = recordingIn(dir, url);
          await recording.addSegment(segment(0));
          const finished = recording.finish('ended');
          notifier.close();
          await recording.flushed();
          await finished;
          const folder = join(dir, 'live', 'chan', 'abcdef0123');
          assert.match(await readFile(join(folder, 'index.m3u8'), 'utf8'), /#EXT-X-ENDLIST\n$/);
          assert.equal((await readPendingMarker(folder))?.reason, 'ended');
          assert.equal(count(), 0);
        },
      ),
    ));

  it('does not start on a disk under the free-space floor: nothing is kept or announced', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 200 }),
        async (url, count) => {
          const { recording, stopped } = recordingIn(dir, url, { minFreeBytes: 10, freeBytes: async () => 9 });
          const result = await recording.addSegment(segment(0));
          await recording.flushed();
          assert.equal(result, false);
          assert.deepEqual(stopped, [0]);
          assert.equal(recording.recording, false);
          await recording.finish('ended');
          assert.deepEqual(await readdir(join(dir, 'live', 'chan')), []);
          assert.equal(count(), 0);
        },
      ),
    ));

  it('stops with onair_reason=disk-low when the disk fills up while recording, and keeps what it has', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 200 }),
        async (url, count) => {
          let free = 100;
          let now = 0;
          const { recording, stopped } = recordingIn(dir, url, { minFreeBytes: 10, freeBytes: async () => free, now: () => now });
          assert.equal(await recording.addSegment(segment(0)), true);
          free = 5;
          now = 2000;
          assert.equal(await recording.addSegment(segment(1)), true, 'not checked again within a few seconds');
          now = 6000;
          await recording.addSegment(segment(2));
          await new Promise((r) => setTimeout(r, 50));
          await recording.flushed();
          assert.equal(stopped.length, 1);
          assert.equal(recording.recording, false);
          await recording.finish('ended');
          const done = await readFile(join(dir, 'live', 'chan', 'abcdef0123', 'index.m3u8'), 'utf8');
          assert.match(done, /#EXT-X-ENDLIST\n$/);
          assert.equal(count(), 1);
        },
      ),
    ));

  it('stops rather than queue past the shared write budget (a disk that does not keep up)', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 200 }),
        async (url) => {
          const budget = new ReadBudget(1500);
          const { recording, stopped } = recordingIn(dir, url, { writeBudget: budget });
          const first = recording.addSegment(segment(0));
          const second = recording.addSegment(segment(1));
          assert.equal(await second, false, 'over the budget while the first is queued');
          assert.deepEqual(stopped, [1]);
          assert.equal(await first, true, 'what was queued is kept');
          await recording.finish('ended');
          assert.equal(budget.usedBytes, 0);
          const text = await readFile(join(dir, 'live', 'chan', 'abcdef0123', 'index.m3u8'), 'utf8');
          assert.match(text, /seg-0\.m4s\n#EXT-X-ENDLIST\n$/);
        },
      ),
    ));
});

describe('start-up recovery', () => {
  it('finishes an EVENT recording, drops temporary files and segment-less folders, announces with onair_reason=recovered', () =>
    withTempDir('onair-rec-', (dir) =>
      withHooks(
        () => ({ status: 200 }),
        async (url, count) => {
          const { recording } = recordingIn(dir, url);
          recording.addInit(0, new Uint8Array([1]));
          await recording.addSegment(segment(0));
          await recording.addSegment(segment(1));
          // The server dies here: no finish. A half-written segment is left behind.
          const folder = join(dir, 'live', 'chan', 'abcdef0123');
          await writeFile(join(folder, 'seg-2.m4s.tmp'), 'partial');
          const empty = join(dir, 'live', 'chan', 'abcdef0124');
          await mkdir(empty);
          await writeFile(join(empty, 'init-0.mp4'), 'x');
          const foreign = join(dir, 'live', 'chan', 'NOT-OURS');
          await mkdir(foreign);

          const notifier = new RecordDoneNotifier({ url, timeoutMs: 1000, logger, retryDelaysMs: [] });
          const recovered = await recoverRecordings(dir, notifier, logger);
          assert.deepEqual(recovered.map((r) => r.fields), [{ app: 'live', name: 'chan', broadcastId: 'abcdef0123', path: join(folder, 'index.m3u8'), reason: 'recovered' }]);
          assert.deepEqual((await readdir(join(dir, 'live', 'chan'))).sort(), ['NOT-OURS', 'abcdef0123']);
          assert.deepEqual((await readdir(folder)).sort(), ['index.m3u8', 'init-0.mp4', pendingMarker, 'seg-0.m4s', 'seg-1.m4s']);
          const text = await readFile(join(folder, 'index.m3u8'), 'utf8');
          assert.match(text, /#EXT-X-PLAYLIST-TYPE:VOD\n[^]*seg-1\.m4s\n#EXT-X-ENDLIST\n$/);

          assert.ok((await readdir(folder)).includes(pendingMarker), 'marked before anything is posted');
          await announceRecovered(recovered, notifier);
          assert.equal(count(), 1);
          assert.ok(!(await readdir(folder)).includes(pendingMarker));
          assert.deepEqual(await recoverRecordings(dir, notifier, logger), [], 'nothing left to do the next time');
        },
      ),
    ));
});

describe('Recording playlist on disk', () => {
  it('appends each segment, rewrites the file when a longer segment raises the target, and finishes as the whole playlist would be', () =>
    withTempDir('onair-rec-', async (dir) => {
      const finishLog = createMemoryLogger();
      const { recording } = recordingIn(dir, undefined, { logger: finishLog });
      const path = join(dir, 'live', 'chan', 'abcdef0123', 'index.m3u8');
      // A new init, a discontinuity, then a segment of 2.6 s (target 1 -> 3), then more after it.
      const segments = [segment(0), segment(1), segment(2, 1000, false, 1), segment(3, 1000, true, 1), segment(4, 1000, false, 1, 2.6), segment(5), segment(6, 1000, false, 0, 1.4)];
      for (const [index, each] of segments.entries()) {
        assert.equal(await recording.addSegment(each), true);
        const expected = serializeMediaPlaylist(buildRecordingPlaylist(segments.slice(0, index + 1), 1, false));
        assert.equal(await readFile(path, 'utf8'), expected, `after segment ${each.msn}`);
      }
      assert.match(await readFile(path, 'utf8'), /#EXT-X-TARGETDURATION:3\n/);
      await recording.finish('ended');
      assert.equal(await readFile(path, 'utf8'), serializeMediaPlaylist(buildRecordingPlaylist(segments, 1, true)));
      // 7 segments, 1 + 1 + 1 + 1 + 2.6 + 1 + 1.4 s.
      assert.match(finishLog.lines.find((line) => line.includes('recording finished')) ?? '', /segments=7 seconds=9\b/);
    }));

  it('a playlist that cannot be written stops the recording after the segment that was written', () =>
    withTempDir('onair-rec-', async (dir) => {
      const { recording, stopped } = recordingIn(dir, undefined);
      const path = join(dir, 'live', 'chan', 'abcdef0123', 'index.m3u8');
      assert.equal(await recording.addSegment(segment(0)), true);
      // A folder where the playlist was: the append cannot open it.
      await rm(path);
      await mkdir(path);
      assert.equal(await recording.addSegment(segment(1)), false);
      assert.deepEqual(stopped, [2]);
      assert.equal(recording.recording, false);
      assert.equal(await recording.addSegment(segment(2)), false);
      await recording.finish('ended');
    }));
});

describe('Recording write failures', () => {
  it('stops the recording (the stream goes back to its window) when a write fails', () =>
    withTempDir('onair-rec-', async (dir) => {
      // A file where the app folder should be: every write into the recording fails.
      await writeFile(join(dir, 'live'), 'not a folder');
      const { recording, stopped } = recordingIn(dir, undefined);
      assert.equal(await recording.addSegment(segment(0)), false);
      assert.deepEqual(stopped, [0]);
      assert.equal(recording.recording, false);
      await recording.finish('ended');
    }));
});
