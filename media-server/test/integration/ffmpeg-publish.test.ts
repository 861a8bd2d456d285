// Real ffmpeg publishers against the real server process, with a real HTTP callback server
// deciding on_publish: allowed, renamed, denied, slow, down, duplicate name, killed mid-stream,
// server shutdown. Checks the nginx-rtmp form on the wire, /api/streams and the HLS playlist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startHookServer, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';
import { freePort } from '../helpers/ports.js';

async function getJson(server: MediaServerProcess): Promise<{ streams: Array<Record<string, unknown>> }> {
  const res = await server.api('/api/streams');
  assert.equal(res.status, 200);
  return (await res.json()) as { streams: Array<Record<string, unknown>> };
}

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The stream's /api/streams entry once its sequence headers (both codecs) have arrived. */
const liveStream = (server: MediaServerProcess, name: string) =>
  eventually(
    async () => (await getJson(server)).streams.find((s) => s.name === name && s.videoCodec !== null && s.audioCodec !== null),
    15_000,
    `stream ${name} live`,
  );

describe('ffmpeg publishing through on_publish', () => {
  let hooks: HookServer;
  let server: MediaServerProcess;

  before(async () => {
    hooks = await startHookServer((request) => {
      const name = request.form.get('name');
      if (request.path !== '/on_publish') return { status: 200 };
      if (name === 'rename') return { status: 302, location: 'renamed' };
      if (name === 'bad') return { status: 403, body: 'no such key' };
      if (name === 'slow') return { status: 200, delayMs: 4000 };
      return { status: 200 };
    });
    server = await startMediaServerProcess([
      '--on-publish',
      hooks.url('/on_publish'),
      '--on-publish-done',
      hooks.url('/on_publish_done'),
      '--callback-timeout-ms',
      '1000',
      '--segment-duration-ms',
      '1000',
    ]);
  });

  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('allows a 2xx publish, posts the nginx-rtmp form, lists the stream, serves HLS and posts on_publish_done once', async () => {
    const ffmpeg = publishTestPattern({ url: `${server.rtmpUrl('good')}?token=abc123&x=1`, durationSeconds: 4 });
    try {
      const publish = await hooks.waitFor((r) => r.path === '/on_publish' && r.form.get('name') === 'good');
      assert.match(
        publish.body,
        new RegExp(
          `^app=live&flashver=FMLE/3\\.0%20\\(compatible%3B%20Lavf\\d+\\.\\d+&swfurl=&tcurl=rtmp://127\\.0\\.0\\.1:${server.rtmpPort}/live&pageurl=&addr=127\\.0\\.0\\.1&clientid=\\d+&call=publish&name=good&type=live&token=abc123&x=1$`,
        ),
      );
      // What the web app reads besides the form (the request line and header order are fetch's).
      const header = (name: string) => publish.rawHeaders[publish.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1];
      assert.equal(header('content-type'), 'application/x-www-form-urlencoded');
      assert.equal(header('content-length'), String(Buffer.byteLength(publish.body)));
      assert.equal(header('connection'), 'close');
      const stream = await liveStream(server, 'good');
      assert.equal(stream.app, 'live');
      assert.equal(stream.videoCodec, 'h264');
      assert.equal(stream.audioCodec, 'aac');
      assert.equal(stream.width, 320);
      assert.equal(stream.height, 240);
      assert.equal(stream.publisherAddress, '127.0.0.1');
      assert.equal(typeof stream.startedAt, 'string');
      const playlist = await eventually(async () => {
        const res = await fetch(server.httpUrl('/live/good/index.m3u8'));
        return res.status === 200 ? res.text() : undefined;
      }, 15_000, 'HLS playlist');
      assert.match(playlist, /^#EXTM3U/);
      // End to end: ingest frames reach the segmenter and come out as listed segments.
      const media = await eventually(async () => {
        const res = await fetch(server.httpUrl('/live/good/media.m3u8'));
        const text = await res.text();
        return res.status === 200 && text.includes('#EXTINF') ? text : undefined;
      }, 15_000, 'a segment in the media playlist');
      assert.match(media, /#EXT-X-TARGETDURATION/);
      assert.match(String(stream.videoCodecString), /^avc1\.42c0[0-9a-f]{2}$/); // ultrafast = constrained baseline
      assert.equal(await ffmpeg.exited(), 0);
      const done = await hooks.waitFor((r) => r.path === '/on_publish_done' && r.form.get('name') === 'good');
      assert.match(done.body, /&call=publish_done&name=good&token=abc123&x=1$/);
      assert.equal(done.form.get('type'), null);
      assert.equal(done.form.get('clientid'), publish.form.get('clientid'));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hooks.requests.filter((r) => r.path === '/on_publish_done' && r.form.get('name') === 'good').length, 1);
      assert.match(server.process.output(), /unpublish clientid=\d+ name=good reason=unpublish/);
    } finally {
      await ffmpeg.stop();
    }
  });

  it('renames on 3xx Location: HLS and /api/streams use the new name, on_publish_done the original', async () => {
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('rename'), durationSeconds: 4 });
    try {
      const stream = await liveStream(server, 'renamed');
      assert.equal(stream.videoCodec, 'h264');
      const status = await eventually(async () => {
        const res = await fetch(server.httpUrl('/live/renamed/index.m3u8'));
        await res.arrayBuffer();
        return res.status === 200 ? res.status : undefined;
      });
      assert.equal(status, 200);
      assert.equal(await ffmpeg.exited(), 0);
      const done = await hooks.waitFor((r) => r.path === '/on_publish_done' && r.form.get('name') === 'rename');
      assert.equal(done.form.get('call'), 'publish_done');
    } finally {
      await ffmpeg.stop();
    }
  });

  it('denies on 403: ffmpeg fails, no on_publish_done', async () => {
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('bad'), durationSeconds: 4 });
    try {
      const code = await ffmpeg.exited();
      assert.notEqual(code, 0);
      await server.process.waitForOutput(/publish denied clientid=\d+ addr=127\.0\.0\.1 key=\S+ reason="on_publish answered 403"/);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hooks.requests.filter((r) => r.path === '/on_publish_done' && r.form.get('name') === 'bad').length, 0);
    } finally {
      await ffmpeg.stop();
    }
  });

  it('denies when on_publish does not answer within --callback-timeout-ms', async () => {
    const started = Date.now();
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('slow'), durationSeconds: 6 });
    try {
      assert.notEqual(await ffmpeg.exited(), 0);
      assert.ok(Date.now() - started < 5000, 'denied at the 1 s timeout, not after the 4 s answer');
      await server.process.waitForOutput(/publish denied .*key=\S+ reason="on_publish timed out after 1000 ms"/);
    } finally {
      await ffmpeg.stop();
    }
  });

  it('refuses a second publisher on a live name and keeps the first one going', async () => {
    const first = publishTestPattern({ url: server.rtmpUrl('dup'), durationSeconds: 6 });
    try {
      await liveStream(server, 'dup');
      const second = publishTestPattern({ url: server.rtmpUrl('dup'), durationSeconds: 2 });
      assert.notEqual(await second.exited(), 0);
      await server.process.waitForOutput(/publish denied .*key=\S+ reason="name already live"/);
      const stream = await liveStream(server, 'dup');
      const framesBefore = Number(stream.videoFrames);
      await new Promise((r) => setTimeout(r, 1000));
      const later = await liveStream(server, 'dup');
      assert.ok(Number(later.videoFrames) > framesBefore, 'the first publisher still streams');
      assert.equal(await first.exited(), 0);
      await hooks.waitFor((r) => r.path === '/on_publish_done' && r.form.get('name') === 'dup');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(hooks.requests.filter((r) => r.path === '/on_publish_done' && r.form.get('name') === 'dup').length, 1);
    } finally {
      await first.stop();
    }
  });

  it('posts on_publish_done when the publisher is killed mid-stream', async (t) => {
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('killme') });
    t.after(() => ffmpeg.stop());
    await liveStream(server, 'killme');
    process.kill(ffmpeg.pid, 'SIGKILL');
    await ffmpeg.exited();
    const done = await hooks.waitFor((r) => r.path === '/on_publish_done' && r.form.get('name') === 'killme');
    assert.equal(done.form.get('call'), 'publish_done');
    await server.process.waitForOutput(/unpublish clientid=\d+ name=killme reason=disconnect/);
    const streams = await getJson(server);
    assert.equal(streams.streams.find((s) => s.name === 'killme'), undefined);
  });
});

describe('on_publish server down', () => {
  it('denies every publish (fail closed)', async (t) => {
    const deadPort = await freePort();
    const server = await startMediaServerProcess(['--on-publish', `http://127.0.0.1:${deadPort}/on_publish`]);
    try {
      const ffmpeg = publishTestPattern({ url: server.rtmpUrl('anyone'), durationSeconds: 3 });
      t.after(() => ffmpeg.stop());
      assert.notEqual(await ffmpeg.exited(), 0);
      await server.process.waitForOutput(/publish denied .*key=\S+ reason="on_publish unreachable: ECONNREFUSED/);
    } finally {
      await server.stop();
    }
  });
});

describe('shutdown', () => {
  it('on SIGTERM ends live streams, posts on_publish_done and exits 0', async () => {
    const hooks = await startHookServer(() => ({ status: 200 }));
    const server = await startMediaServerProcess(['--on-publish', hooks.url('/on_publish'), '--on-publish-done', hooks.url('/on_publish_done')]);
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('live1') });
    try {
      await liveStream(server, 'live1');
      process.kill(server.process.pid, 'SIGTERM');
      assert.equal(await server.process.exited(), 0);
      const done = hooks.requests.find((r) => r.path === '/on_publish_done' && r.form.get('name') === 'live1');
      assert.ok(done, 'on_publish_done was posted before exit');
      assert.match(server.process.output(), /unpublish clientid=\d+ name=live1 reason=shutdown/);
    } finally {
      await ffmpeg.stop();
      await server.stop();
      await hooks.close();
    }
  });

  it('warns at start-up when no --on-publish is configured, and allows publishes', async () => {
    const server = await startMediaServerProcess();
    try {
      assert.match(server.process.output(), /WARN {2}no --on-publish URL configured: every publish is allowed/);
    } finally {
      await server.stop();
    }
  });
});
