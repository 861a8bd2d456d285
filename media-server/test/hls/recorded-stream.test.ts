// A recorded stream through the HLS service (real HTTP, real files, test clock): the live
// playlist lists the whole broadcast up to its rewind (rewindSeconds), old segments are served
// from the recording's files, delta updates stay small, the recording is finished when the stream
// ends, and the live URLs go away after the live window's worth of time, not the whole broadcast's.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadBudget } from '../../src/hls/read-budget.js';
import { createMemoryLogger } from '../../src/logger.js';
import { RecordDoneNotifier } from '../../src/recordings/record-done.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startHarness, SyntheticPublisher, type Harness } from './helpers/service-harness.js';

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await sleep(20);
  }
  return check();
}

interface RecordedHarness {
  readonly harness: Harness;
  readonly recordDir: string;
  readonly clock: FakeClock;
}

/**
 * Registers the suite's before/after: an HLS service (1 s segments, 0.5 s parts, a 3-segment
 * window) recording into a fresh temp folder; `rewindSeconds` absent: the service's default.
 */
function recordedHarness(rewindSeconds?: number): () => RecordedHarness {
  let state: RecordedHarness | undefined;
  before(async () => {
    const recordDir = await mkdtemp(join(tmpdir(), 'onair-recorded-'));
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const harness = await startHarness({
      segmentDurationMs: 1000,
      partDurationMs: 500,
      windowSegments: 3,
      memorySegments: 1,
      rewindSeconds,
      endGraceMs: 400,
      clock,
      timers: clock,
      newStreamId: () => 'abc',
      recorder: { recordDir, minFreeBytes: 0, writeBudget: new ReadBudget(1 << 24), notifier: new RecordDoneNotifier({ url: undefined, timeoutMs: 1000, logger: createMemoryLogger() }) },
    });
    state = { harness, recordDir, clock };
  });
  after(async () => {
    await state?.harness.close();
    if (state) await rm(state.recordDir, { recursive: true, force: true });
  });
  return () => {
    if (!state) throw new Error('the harness starts in before()');
    return state;
  };
}

describe('hls service: a recorded stream', () => {
  const current = recordedHarness();

  it('lists and serves the whole broadcast while live, then keeps the live URLs only for the window', async () => {
    const { harness, recordDir, clock } = current();
    const publisher = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'show', publishedAt: new Date(0), record: true }));
    const plain = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'plain', publishedAt: new Date(0) }));
    publisher.videoUntil(30 * 12.5);
    plain.videoUntil(30 * 12.5);
    assert.ok(await eventually(async () => (await readdir(join(recordDir, 'live', 'show')).catch(() => [])).length === 1), 'one broadcast folder');
    const [broadcastId] = await readdir(join(recordDir, 'live', 'show'));
    assert.match(broadcastId ?? '', /^[a-z0-9]{8,32}$/);
    const folder = join(recordDir, 'live', 'show', broadcastId!);
    assert.ok(await eventually(async () => (await readFile(join(folder, 'index.m3u8'), 'utf8').catch(() => '')).includes('seg-11.m4s')), 'recorded up to segment 11');
    assert.deepEqual(await readdir(join(recordDir, 'live')), ['show'], 'only the recorded stream');

    const full = await (await fetch(`${harness.base}/live/show/media.m3u8`)).text();
    assert.match(full, /#EXT-X-MEDIA-SEQUENCE:0\n/);
    for (let msn = 0; msn <= 11; msn++) assert.ok(full.includes(`abc/seg-${msn}.m4s\n`), `segment ${msn} listed`);
    assert.equal(full.match(/#EXT-X-PART:/g)?.length, 7, 'parts only within three target durations of the end, as without recording');
    assert.match(full, /#EXT-X-TARGETDURATION:1\n/);
    assert.match(full, /PART-HOLD-BACK=1\.5/);
    const plainList = await (await fetch(`${harness.base}/live/plain/media.m3u8`)).text();
    assert.doesNotMatch(plainList, /#EXT-X-MEDIA-SEQUENCE:0\n/, 'without recording the window rule stays');

    const first = await fetch(`${harness.base}/live/show/abc/seg-0.m4s`);
    assert.equal(first.status, 200);
    assert.deepEqual(Buffer.from(await first.arrayBuffer()), await readFile(join(folder, 'seg-0.m4s')), 'served from the recording');
    const delta = await (await fetch(`${harness.base}/live/show/media.m3u8?_HLS_skip=YES`)).text();
    assert.match(delta, /#EXT-X-SKIP:SKIPPED-SEGMENTS=6\n/);
    assert.ok(delta.length < full.length);
    assert.doesNotMatch(delta, /abc\/seg-0\.m4s/);

    publisher.sink.end('unpublish');
    plain.sink.end('unpublish');
    clock.advance(400);
    assert.match(await (await fetch(`${harness.base}/live/show/media.m3u8`)).text(), /#EXT-X-ENDLIST\n$/);
    assert.ok(await eventually(async () => /#EXT-X-PLAYLIST-TYPE:VOD\n[^]*#EXT-X-ENDLIST\n$/.test(await readFile(join(folder, 'index.m3u8'), 'utf8'))), 'the recording is finished');
    // The last three segments (~3 s) is what stays up, not the 13 s broadcast.
    clock.advance(3100);
    assert.equal((await fetch(`${harness.base}/live/show/media.m3u8`)).status, 404);
    assert.equal((await fetch(`${harness.base}/live/show/abc/seg-0.m4s`)).status, 404);
    assert.ok((await readdir(folder)).includes('seg-0.m4s'), 'the recording stays');
  });
});

describe('hls service: a recorded stream longer than its rewind', () => {
  const current = recordedHarness(5);

  it('lists only the last rewindSeconds while live; the recording keeps every segment', async () => {
    const { harness, recordDir } = current();
    const publisher = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'show', publishedAt: new Date(0), record: true }));
    publisher.videoUntil(30 * 12.5);
    assert.ok(await eventually(async () => (await readdir(join(recordDir, 'live', 'show')).catch(() => [])).length === 1), 'one broadcast folder');
    const [broadcastId] = await readdir(join(recordDir, 'live', 'show'));
    const folder = join(recordDir, 'live', 'show', broadcastId!);
    assert.ok(await eventually(async () => (await readFile(join(folder, 'index.m3u8'), 'utf8').catch(() => '')).includes('seg-11.m4s')), 'recorded up to segment 11');

    // 1 s segments, 5 s of rewind (more than the 3-segment window): segments 7-11 stay listed.
    const full = await (await fetch(`${harness.base}/live/show/media.m3u8`)).text();
    assert.match(full, /#EXT-X-MEDIA-SEQUENCE:7\n/);
    assert.doesNotMatch(full, /abc\/seg-6\.m4s/);
    for (let msn = 7; msn <= 11; msn++) assert.ok(full.includes(`abc/seg-${msn}.m4s\n`), `segment ${msn} listed`);
    const recorded = await readFile(join(folder, 'index.m3u8'), 'utf8');
    for (let msn = 0; msn <= 11; msn++) assert.ok(recorded.includes(`seg-${msn}.m4s\n`), `segment ${msn} recorded`);
    publisher.sink.end('unpublish');
  });
});
