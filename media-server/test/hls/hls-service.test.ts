// The HLS service over real loopback HTTP, fed by a synthetic publisher (deterministic: a fake
// clock and a fixed stream id), so playlists can be compared as exact text, blocking requests
// observed while they are held, and the end-of-stream lifecycle checked step by step on the clock.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listBoxes } from '../../src/mp4/box.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RawClient } from '../helpers/raw-http-client.js';
import { startHarness, SyntheticPublisher, type Harness } from './helpers/service-harness.js';

const start = Date.UTC(2026, 0, 1);
const small = { segmentDurationMs: 1000, partDurationMs: 500, windowSegments: 8 };
const pdt = (s: number) => `#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:0${s}.000Z`;

const header = (version: number) => `#EXTM3U
#EXT-X-VERSION:${version}
#EXT-X-TARGETDURATION:1
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=6,HOLD-BACK=3,PART-HOLD-BACK=1.5
#EXT-X-PART-INF:PART-TARGET=0.5
#EXT-X-MEDIA-SEQUENCE:0
`;
const plain = (msn: number) => `${pdt(msn)}\n#EXTINF:1,\nabc/seg-${msn}.m4s\n`;
const withParts = (msn: number) =>
  `${pdt(msn)}\n#EXT-X-PART:DURATION=0.5,URI="abc/part-${2 * msn}.m4s",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.5,URI="abc/part-${2 * msn + 1}.m4s"\n#EXTINF:1,\nabc/seg-${msn}.m4s\n`;
const tail = `${pdt(8)}
#EXT-X-PART:DURATION=0.5,URI="abc/part-16.m4s",INDEPENDENT=YES
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="abc/part-17.m4s"
`;

/** Files are written and removed asynchronously: polls `check` for up to 2 s of wall time. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await sleep(20);
  }
  return check();
}
const exists = (path: string) => readFile(path).then(() => true, () => false);

async function text(url: string): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('hls service: playlists', () => {
  let harness: Harness;
  let publisher: SyntheticPublisher;
  // Stands still here: program dates are exact, and a held request is held until it is ready.
  const clock = new FakeClock(start);
  before(async () => {
    harness = await startHarness({ ...small, clock, timers: clock, newStreamId: () => 'abc' });
    publisher = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'demo', publishedAt: new Date(0) }));
    publisher.videoUntil(30 * 8.5 - 1); // 8.5 s: segments 0..7 complete, segment 8 has one part
  });
  after(() => harness.close());

  it('media playlist, exact text: parts only within three target durations of the end', async () => {
    const { status, body, headers } = await text(`${harness.base}/live/demo/media.m3u8`);
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'application/vnd.apple.mpegurl');
    assert.equal(headers.get('cache-control'), 'no-cache, no-store');
    assert.equal(headers.get('access-control-allow-origin'), '*');
    const expected = header(6) + '#EXT-X-MAP:URI="abc/init-0.mp4"\n' + [0, 1, 2, 3, 4].map(plain).join('') + [5, 6, 7].map(withParts).join('') + tail;
    assert.equal(body, expected);
  });

  it('_HLS_skip=YES: a delta update replaces segments beyond the skip boundary (6 s) with EXT-X-SKIP', async () => {
    const { body } = await text(`${harness.base}/live/demo/media.m3u8?_HLS_skip=YES`);
    const expected = header(9) + '#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n#EXT-X-MAP:URI="abc/init-0.mp4"\n' + [2, 3, 4].map(plain).join('') + [5, 6, 7].map(withParts).join('') + tail;
    assert.equal(body, expected);
  });

  it('multivariant playlist, exact text', async () => {
    const { body } = await text(`${harness.base}/live/demo/index.m3u8`);
    assert.match(body, /^#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\d+,CODECS="avc1\.42c028,mp4a\.40\.2",RESOLUTION=1920x1080,FRAME-RATE=30\.000\nmedia\.m3u8\n$/, 'FRAME-RATE measured from the timestamps (no metadata)');
  });

  it('blocking reload: held until the part exists, then the whole playlist, listed within 50 ms of the last frame', async (t) => {
    let answeredAt = 0;
    const held = clock.nextTimer(); // the blocking timeout of the held request
    const pending = fetch(`${harness.base}/live/demo/media.m3u8?_HLS_msn=8&_HLS_part=1`).then(async (response) => {
      answeredAt = performance.now();
      return { status: response.status, body: await response.text() };
    });
    await held;
    assert.equal(answeredAt, 0, 'the request is held while part 1 of segment 8 does not exist');
    publisher.videoUntil(30 * 8.5 + 14); // frames up to 8.967 s: part 17 (8.5-9.0 s) closes on its last frame
    const lastFrameAt = performance.now();
    const { status, body } = await pending;
    assert.equal(status, 200);
    const latency = answeredAt - lastFrameAt;
    // The target is 50 ms (typically ~2 ms here); the bound is generous because the machine is shared.
    assert.ok(latency < 150, `part listed ${latency.toFixed(1)} ms after its last frame`);
    t.diagnostic(`blocked playlist answered ${latency.toFixed(2)} ms after the part's last frame was written`);
    const expected =
      header(6) +
      '#EXT-X-MAP:URI="abc/init-0.mp4"\n' +
      [0, 1, 2, 3, 4].map(plain).join('') +
      [5, 6, 7].map(withParts).join('') +
      `${pdt(8)}\n#EXT-X-PART:DURATION=0.5,URI="abc/part-16.m4s",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.5,URI="abc/part-17.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="abc/part-18.m4s"\n`;
    assert.equal(body, expected);
  });

  it('blocking reload: 400 when too far ahead or _HLS_part comes alone', async () => {
    assert.equal((await text(`${harness.base}/live/demo/media.m3u8?_HLS_msn=11`)).status, 400);
    assert.equal((await text(`${harness.base}/live/demo/media.m3u8?_HLS_msn=8&_HLS_part=9`)).status, 400);
    assert.equal((await text(`${harness.base}/live/demo/media.m3u8?_HLS_part=1`)).status, 400);
    assert.equal((await text(`${harness.base}/live/demo/media.m3u8?_HLS_msn=7`)).status, 200, 'an existing segment answers at once');
  });

  it('the preload-hinted part is held until complete, then served whole', async () => {
    const held = clock.nextTimer();
    const pending = fetch(`${harness.base}/live/demo/abc/part-18.m4s`).then(async (r) => ({ status: r.status, bytes: new Uint8Array(await r.arrayBuffer()), type: r.headers.get('content-type') }));
    await held;
    publisher.videoUntil(30 * 9 + 14); // segment 9, part 18 (9.0-9.5 s)
    const part = await pending;
    assert.equal(part.status, 200);
    assert.equal(part.type, 'video/mp4');
    assert.deepEqual(listBoxes(part.bytes).map((b) => b.type), ['moof', 'mdat']);
    assert.equal((await text(`${harness.base}/live/demo/abc/part-25.m4s`)).status, 404, 'a part that is not the hinted one is not held');
  });
});

describe('hls service: HTTP behaviour', () => {
  let harness: Harness;
  let spillDir: string;
  let publisher: SyntheticPublisher;
  before(async () => {
    // Only the newest segment in memory: older ones are served from the spill directory.
    spillDir = await mkdtemp(join(tmpdir(), 'onair-spill-'));
    const clock = new FakeClock(start);
    harness = await startHarness({ ...small, clock, timers: clock, windowSegments: 3, memorySegments: 1, spillDir, newStreamId: () => 'abc' });
    publisher = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'demo', publishedAt: new Date(0) }));
    publisher.videoUntil(30 * 6);
    const written = join(spillDir, 'abc', 'abc', 'seg-4.m4s');
    assert.ok(await eventually(() => exists(written)), 'segment 4 written to the spill directory');
  });
  after(async () => {
    await harness.close();
    await rm(spillDir, { recursive: true, force: true });
  });

  it('returns false for paths that are not HLS paths', async () => {
    const response = await fetch(`${harness.base}/healthz`);
    assert.equal(response.status, 418);
    await response.text();
  });

  it('CORS preflight and HEAD', async () => {
    const preflight = await fetch(`${harness.base}/live/demo/media.m3u8`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Range/);
    const head = await fetch(`${harness.base}/live/demo/abc/seg-5.m4s`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.ok(Number(head.headers.get('content-length')) > 0);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    assert.equal((await fetch(`${harness.base}/live/demo/media.m3u8`, { method: 'POST' })).status, 405);
  });

  it('segments are their parts back to back, immutable, with Range support', async () => {
    const segment = await fetch(`${harness.base}/live/demo/abc/seg-5.m4s`);
    assert.equal(segment.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(segment.headers.get('content-type'), 'video/mp4');
    const bytes = new Uint8Array(await segment.arrayBuffer());
    const parts = await Promise.all([10, 11].map(async (n) => new Uint8Array(await (await fetch(`${harness.base}/live/demo/abc/part-${n}.m4s`)).arrayBuffer())));
    assert.deepEqual(Buffer.from(bytes), Buffer.concat(parts));
    const ranged = await fetch(`${harness.base}/live/demo/abc/seg-5.m4s`, { headers: { Range: `bytes=${parts[0]!.length - 4}-${parts[0]!.length + 3}` } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), `bytes ${parts[0]!.length - 4}-${parts[0]!.length + 3}/${bytes.length}`);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), Buffer.from(bytes.subarray(parts[0]!.length - 4, parts[0]!.length + 4)));
    const unsatisfiable = await fetch(`${harness.base}/live/demo/abc/seg-5.m4s`, { headers: { Range: `bytes=${bytes.length}-` } });
    assert.equal(unsatisfiable.status, 416);
  });

  it('segments that left memory are served from their file, whole, by part and by range', async () => {
    const onDisk = new Uint8Array(await readFile(join(spillDir, 'abc', 'abc', 'seg-4.m4s')));
    const segment = new Uint8Array(await (await fetch(`${harness.base}/live/demo/abc/seg-4.m4s`)).arrayBuffer());
    assert.deepEqual(Buffer.from(segment), Buffer.from(onDisk));
    const parts = await Promise.all([8, 9].map(async (n) => new Uint8Array(await (await fetch(`${harness.base}/live/demo/abc/part-${n}.m4s`)).arrayBuffer())));
    assert.deepEqual(Buffer.concat(parts), Buffer.from(onDisk));
    assert.deepEqual(listBoxes(parts[1]!).map((b) => b.type), ['moof', 'mdat'], 'a part is cut out of the file at its own offset');
    const ranged = await fetch(`${harness.base}/live/demo/abc/seg-4.m4s`, { headers: { Range: 'bytes=-10' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), `bytes ${onDisk.length - 10}-${onDisk.length - 1}/${onDisk.length}`);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), Buffer.from(onDisk.subarray(-10)));
    const head = await fetch(`${harness.base}/live/demo/abc/seg-4.m4s`, { method: 'HEAD' });
    assert.equal(Number(head.headers.get('content-length')), onDisk.length);
  });

  it('404 for other ids, unknown streams and what was never there', async () => {
    for (const path of ['/live/demo/zzz/seg-5.m4s', '/live/demo/abc/seg-99.m4s', '/live/demo/abc/part-99.m4s', '/live/demo/abc/init-7.mp4', '/live/other/media.m3u8', '/live/other/index.m3u8']) {
      assert.equal((await text(`${harness.base}${path}`)).status, 404, path);
    }
    assert.equal((await text(`${harness.base}/live/demo/abc/init-0.mp4`)).status, 200);
  });

  it('a segment removed from the playlist stays servable for its duration plus the playlist duration, then 404', async () => {
    // Window 3 x 1 s: segment 0 left the playlist when segment 3 completed, from a 4 s playlist,
    // so it stays until 4 + 1 + 4 = 9 s of media are complete; segment 1 until 10 s.
    const playlist = (await text(`${harness.base}/live/demo/media.m3u8`)).body;
    assert.doesNotMatch(playlist, /seg-[0-2]\.m4s/);
    for (const path of ['/live/demo/abc/seg-0.m4s', '/live/demo/abc/seg-1.m4s', '/live/demo/abc/part-2.m4s']) {
      assert.equal((await text(`${harness.base}${path}`)).status, 200, path);
    }
    publisher.videoUntil(30 * 10);
    for (const path of ['/live/demo/abc/seg-0.m4s', '/live/demo/abc/seg-1.m4s', '/live/demo/abc/part-2.m4s']) {
      assert.equal((await text(`${harness.base}${path}`)).status, 404, path);
    }
    assert.equal((await text(`${harness.base}/live/demo/abc/seg-2.m4s`)).status, 200, 'segment 2 until 11 s');
    const removed = join(spillDir, 'abc', 'abc', 'seg-0.m4s');
    assert.ok(await eventually(async () => !(await exists(removed))), 'its file goes with it');
  });
});

describe('hls service: stream lifecycle', () => {
  let harness: Harness;
  let dir: string;
  let ids = 0;
  const clock = new FakeClock(start);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-hls-'));
    harness = await startHarness({ ...small, clock, timers: clock, windowSegments: 4, endGraceMs: 400, hlsDir: dir, newStreamId: () => `id${++ids}` });
  });
  after(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a playlist request before any media is held until the first part', async () => {
    const sink = harness.service.open({ app: 'live', name: 'early', publishedAt: new Date(0) });
    const held = clock.nextTimer();
    const pending = text(`${harness.base}/live/early/media.m3u8`);
    await held;
    new SyntheticPublisher(sink).videoUntil(14);
    const { status, body } = await pending;
    assert.equal(status, 200);
    assert.match(body, /#EXT-X-PART:DURATION=0.5,URI="id1\/part-0.m4s",INDEPENDENT=YES/);
    // Nothing lies beyond the Skip Boundary yet: a delta request gets the full playlist, no EXT-X-SKIP.
    assert.equal((await text(`${harness.base}/live/early/media.m3u8?_HLS_skip=YES`)).body, (await text(`${harness.base}/live/early/media.m3u8`)).body);
    sink.end('unpublish');
  });

  it('end -> grace (no ENDLIST, reconnect continues after a discontinuity) -> ENDLIST -> removed', async () => {
    const first = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'show', publishedAt: new Date(0) }));
    first.videoUntil(30 * 2.5);
    first.sink.end('disconnect');
    const inGrace = await text(`${harness.base}/live/show/media.m3u8`);
    assert.doesNotMatch(inGrace.body, /ENDLIST/);
    assert.match(inGrace.body, /id2\/seg-2.m4s/, 'the tail of the first publish is flushed as a segment');

    // The publisher comes back within the grace period, its clock restarted at 0.
    const second = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'show', publishedAt: new Date(1) }));
    second.videoUntil(30 * 2);
    const continued = (await text(`${harness.base}/live/show/media.m3u8`)).body;
    // Sequence numbers continue, the new init section follows the discontinuity, and the
    // program date never goes back (the test clock stands still: it continues from the media end).
    assert.ok(
      continued.includes(
        'id2/seg-2.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="id2/init-1.mp4"\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:02.534Z\n#EXT-X-PART:DURATION=0.5,URI="id2/part-6.m4s",INDEPENDENT=YES\n',
      ),
      continued,
    );
    assert.match(continued, /#EXT-X-MEDIA-SEQUENCE:\d+/);
    second.sink.end('unpublish');

    clock.advance(399);
    assert.doesNotMatch((await text(`${harness.base}/live/show/media.m3u8`)).body, /ENDLIST/, 'still in its grace period');
    clock.advance(1);
    const ended = await text(`${harness.base}/live/show/media.m3u8?_HLS_msn=99`);
    assert.equal(ended.status, 200, '_HLS_msn is ignored once the playlist has EXT-X-ENDLIST');
    assert.match(ended.body, /#EXT-X-ENDLIST\n$/);
    assert.doesNotMatch(ended.body, /PRELOAD-HINT/);
    const media = join(dir, 'live', 'show', 'media.m3u8');
    assert.ok(await eventually(async () => /#EXT-X-ENDLIST\n$/.test(await readFile(media, 'utf8').catch(() => ''))), 'the disk copy ends too');
    const onDisk = await readFile(media, 'utf8');
    assert.doesNotMatch(onDisk, /EXT-X-PART/, 'the disk copy is a classic playlist');
    assert.ok((await readdir(join(dir, 'live', 'show', 'id2'))).includes('init-1.mp4'));

    // Removed once the listed segments had a playlist duration (~4.5 s here, longer than the
    // grace) to be fetched.
    const listedMs = Math.ceil([...ended.body.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, match) => sum + Number(match[1]), 0) * 1000);
    assert.ok(listedMs > 3000, `playlist duration ${listedMs} ms`);
    clock.advance(listedMs - 1);
    assert.equal((await text(`${harness.base}/live/show/media.m3u8`)).status, 200, 'served until the playlist duration has passed');
    clock.advance(1);
    assert.equal((await text(`${harness.base}/live/show/media.m3u8`)).status, 404);
    assert.ok(await eventually(async () => !(await exists(join(dir, 'live', 'show')))), 'the disk copy is removed with the stream');

    // A new publish is a new stream: new id, sequence numbers from 0, nothing stale.
    const third = new SyntheticPublisher(harness.service.open({ app: 'live', name: 'show', publishedAt: new Date(2) }));
    third.videoUntil(30 * 1.5);
    const fresh = (await text(`${harness.base}/live/show/media.m3u8`)).body;
    assert.match(fresh, /#EXT-X-MEDIA-SEQUENCE:0\n/);
    assert.match(fresh, /id3\/seg-0\.m4s/);
    assert.doesNotMatch(fresh, /id2\//);
    third.sink.end('unpublish');
  });
});

describe('hls service: a request over a hold cap', () => {
  let harness: Harness;
  const clock = new FakeClock(start);
  before(async () => {
    harness = await startHarness({ ...small, clock, timers: clock, newStreamId: () => 'abc', maxHeldPerAddress: 1, refusalDelayMs: 1000 });
    new SyntheticPublisher(harness.service.open({ app: 'live', name: 'demo', publishedAt: new Date(0) })).videoUntil(30 * 8.5 - 1);
  });
  after(() => harness.close());

  it('gets its 503 at once; its connection is then not read for the refusal delay, and a client that leaves meanwhile leaves nothing', async () => {
    const heldSet = clock.nextTimer();
    const held = fetch(`${harness.base}/live/demo/media.m3u8?_HLS_msn=9`);
    await heldSet;
    const timersWithOneHeld = clock.pendingTimers;

    const client = await RawClient.connect(harness.base);
    const pauseSet = clock.nextTimer();
    const first = await client.request('/live/demo/media.m3u8?_HLS_msn=9');
    assert.equal(first.status, 503, 'answered without the clock moving');
    assert.match(first.head, /\r\nretry-after: 1(\r\n|$)/i);
    assert.match(first.body, /too many held requests/);
    await pauseSet;
    assert.equal(clock.pendingTimers, timersWithOneHeld + 1, 'the pause runs on a timer of its own');

    // The next request on that connection is not read until the delay has passed.
    const second = client.request('/live/demo/media.m3u8?_HLS_msn=9');
    let answered = false;
    void second.then(() => {
      answered = true;
    });
    clock.advance(999);
    await sleep(100);
    assert.equal(answered, false, 'not read before the delay');
    clock.advance(1);
    assert.equal((await second).status, 503, 'read and refused once the delay has passed');

    // A refused client that hangs up during its pause: a socket that is not read does not see
    // the hang-up, so the pause runs out, the socket reads the end and closes, and nothing is left.
    for (let i = 0; i < 50 && clock.pendingTimers !== timersWithOneHeld + 1; i++) await sleep(20);
    assert.equal(clock.pendingTimers, timersWithOneHeld + 1, 'the second refusal paused the connection again');
    client.close();
    await sleep(50);
    clock.advance(1000);
    assert.equal(clock.pendingTimers, timersWithOneHeld, 'the pause timer has run');

    clock.advance(3000); // the held request's blocking timeout (3 target durations): 503 from the stream
    assert.equal((await held).status, 503);
  });
});
