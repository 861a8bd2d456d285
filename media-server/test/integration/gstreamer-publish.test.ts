// A real GStreamer publisher (`flvmux ! rtmp2sink`, plain handshake, different command flow
// from ffmpeg's) through on_publish, with the HLS playlist fetched while it is live.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHookServer, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';
import { startProcess } from '../helpers/process.js';

function publishWithGstreamer(url: string, seconds: number) {
  const frames = String(seconds * 15);
  return startProcess('gst-launch-1.0', [
    '-q',
    'videotestsrc', 'is-live=true', `num-buffers=${frames}`, '!', 'video/x-raw,width=320,height=240,framerate=15/1', '!',
    'x264enc', 'tune=zerolatency', 'speed-preset=ultrafast', 'bitrate=300', 'key-int-max=15', '!', 'h264parse', '!', 'mux.',
    'audiotestsrc', 'is-live=true', `num-buffers=${seconds * 10}`, 'samplesperbuffer=4410', '!', 'audio/x-raw,rate=44100,channels=2', '!',
    'voaacenc', 'bitrate=64000', '!', 'aacparse', '!', 'mux.',
    'flvmux', 'name=mux', 'streamable=true', '!', 'rtmp2sink', `location=${url}`,
  ]);
}

describe('GStreamer rtmp2sink publishing', () => {
  let hooks: HookServer;
  let server: MediaServerProcess;

  before(async () => {
    hooks = await startHookServer((r) => (r.form.get('name') === 'gst-denied' ? { status: 401 } : { status: 200 }));
    server = await startMediaServerProcess(['--on-publish', hooks.url('/on_publish'), '--on-publish-done', hooks.url('/on_publish_done'), '--segment-duration-ms', '1000']);
  });

  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('is authorized, listed with its codecs, served as HLS and reported done', async () => {
    const gst = publishWithGstreamer(`${server.rtmpUrl('gst')}?k=v`, 5);
    try {
      const publish = await hooks.waitFor((r) => r.path === '/on_publish' && r.form.get('name') === 'gst');
      assert.equal(publish.form.get('flashver'), 'LNX 10,0,32,18');
      assert.equal(publish.form.get('k'), 'v');
      let stream: Record<string, unknown> | undefined;
      for (let i = 0; i < 75 && !stream?.videoCodec; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const body = (await (await server.api('/api/streams')).json()) as { streams: Array<Record<string, unknown>> };
        stream = body.streams.find((s) => s.name === 'gst');
      }
      assert.ok(stream, 'listed in /api/streams');
      assert.equal(stream.videoCodec, 'h264');
      assert.equal(stream.audioCodec, 'aac');
      assert.equal(stream.width, 320);
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        const res = await fetch(server.httpUrl('/live/gst/index.m3u8'));
        await res.arrayBuffer();
        status = res.status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(status, 200);
      assert.equal(await gst.exited(), 0, gst.output());
      const done = await hooks.waitFor((r) => r.path === '/on_publish_done' && r.form.get('name') === 'gst');
      assert.equal(done.form.get('k'), 'v');
    } finally {
      await gst.stop();
    }
  });

  it('is refused on 401 and gets no on_publish_done', async () => {
    const gst = publishWithGstreamer(server.rtmpUrl('gst-denied'), 3);
    try {
      await server.process.waitForOutput(/publish denied .*key=\S+ reason="on_publish answered 401"/);
      assert.notEqual(await gst.exited(), 0);
      assert.equal(hooks.requests.filter((r) => r.path === '/on_publish_done' && r.form.get('name') === 'gst-denied').length, 0);
    } finally {
      await gst.stop();
    }
  });
});
