import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { placeholderSvg } from '../../../../lib/live/placeholder.js';
import { ffmpegFrameGrabber, ThumbnailStore } from '../../../../lib/live/thumbnails.js';
import { manualClock } from '../../../helpers/clock';
import { recordingLogger } from '../../../helpers/logger';

describe('thumbnails', () => {
  let dir: string;
  let server: Server;
  let playlistUrl: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-thumbs-'));
    const hls = join(dir, 'hls');
    execFileSync('mkdir', ['-p', hls]);
    // A real fMP4 HLS stream (like the media server's), 3 one-second segments of a test pattern.
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '3',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p',
      '-f', 'hls', '-hls_time', '1', '-hls_segment_type', 'fmp4', '-hls_list_size', '0', join(hls, 'index.m3u8'),
    ]);
    server = createServer((req, res) => {
      const file = normalize(join(hls, new URL(req.url ?? '/', 'http://x').pathname));
      if (!file.startsWith(hls)) return void res.writeHead(404).end();
      createReadStream(file).on('error', () => res.writeHead(404).end()).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    playlistUrl = `http://127.0.0.1:${address.port}/index.m3u8`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('grabs a recent frame from a real HLS stream with ffmpeg', async () => {
    const clock = manualClock(0);
    const store = new ThumbnailStore({ dir: join(dir, 'out'), grabber: ffmpegFrameGrabber(), clock });
    assert.equal(await store.read('alice'), null);
    await store.refresh('alice', playlistUrl);
    const thumb = await store.read('alice');
    assert.ok(thumb, 'a frame was written');
    assert.deepEqual([...thumb.jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', join(dir, 'out', 'alice.jpg')]).toString().trim();
    assert.equal(probe, '640,480');

    assert.equal(store.refresh('alice', playlistUrl), null, 'not due again before 30 s');
    clock.advance(30_000);
    assert.ok(store.refresh('alice', playlistUrl), 'due after 30 s');
    await store.forget('alice');
    assert.equal(await store.read('alice'), null);
  });

  it('reports a failed grab and retries sooner than a successful one', async () => {
    const clock = manualClock(0);
    const logger = recordingLogger();
    const errors = logger.lines;
    const store = new ThumbnailStore({ dir: join(dir, 'out2'), grabber: ffmpegFrameGrabber({ timeoutMs: 5_000 }), clock, logger });
    const missing = playlistUrl.replace('index.m3u8', 'missing.m3u8');
    await store.refresh('bob', missing);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.event, 'thumbnail_failed');
    assert.equal(errors[0]?.fields.slug, 'bob');
    assert.match(String(errors[0]?.fields.error), /^ffmpeg exited/);
    assert.equal(await store.read('bob'), null);
    clock.advance(5_000);
    await store.refresh('bob', missing);
    assert.equal(errors.length, 2);
    clock.advance(9_000);
    assert.equal(store.refresh('bob', playlistUrl), null, 'second failure: back off to 10 s');
    assert.equal(store.refresh('bob', playlistUrl), null);
    clock.advance(1_000);
    await store.refresh('bob', playlistUrl);
    assert.ok(await store.read('bob'));
  });

  it('falls back to the placeholder quietly when ffmpeg is not installed', async () => {
    const logger = recordingLogger();
    const store = new ThumbnailStore({
      dir: join(dir, 'out3'), grabber: ffmpegFrameGrabber({ ffmpegPath: join(dir, 'no-such-ffmpeg') }), clock: manualClock(), logger,
    });
    await store.refresh('carol', playlistUrl);
    assert.equal(await store.read('carol'), null);
    assert.deepEqual(logger.lines, []);
  });

  it('ignores names that are not slugs', async () => {
    const store = new ThumbnailStore({ dir: join(dir, 'out4'), grabber: ffmpegFrameGrabber(), clock: manualClock() });
    assert.equal(store.refresh('../x', playlistUrl), null);
    assert.equal(await store.read('../x'), null);
  });

  it('makes a well-formed, escaped SVG placeholder that differs per channel', () => {
    const svg = placeholderSvg({ slug: 'alice', title: '<b>"Hi" & bye', live: true });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 640 360"/);
    assert.ok(!svg.includes('<b>'));
    assert.match(svg, /<title>&lt;b&gt;&quot;Hi&quot; &amp; bye<\/title>/);
    assert.match(svg, /alice · Live now/);
    assert.notEqual(placeholderSvg({ slug: 'alice', title: 'x', live: false }).match(/hsl\([^)]*\)/)?.[0],
      placeholderSvg({ slug: 'bob', title: 'x', live: false }).match(/hsl\([^)]*\)/)?.[0]);
  });
});
