// RTMP playback end to end with the bundled media server and the REAL web app deciding on_play:
// ffprobe/ffmpeg play a live channel by its slug, the key as the name and a disabled channel are
// refused, and an RTMP player counts as a viewer in the directory while it plays.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { RtmpPlayer } from '../../media-server/test/helpers/rtmp-player.js';
import { startPlatform, type Platform } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';

function run(command: string, args: string[], timeoutMs = 25_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(command, args, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The directory's viewer count of a channel, read from its event stream (which counts no viewer itself). */
async function directoryViewers(platform: Platform, slug: string): Promise<number | null> {
  const controller = new AbortController();
  const response = await fetch(`${platform.app.url}/api/channels/events`, { signal: controller.signal });
  const reader = response.body?.getReader();
  let text = '';
  try {
    while (reader && !/event: directory\ndata: .*\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    controller.abort();
  }
  const data = /event: directory\ndata: (.*)\n/.exec(text)?.[1];
  if (!data) return null;
  const snapshot = JSON.parse(data) as { live: Array<{ slug: string; viewers: number }> };
  return snapshot.live.find((c) => c.slug === slug)?.viewers ?? null;
}

describe('RTMP playback through the web app (bundled media server)', { timeout: 300_000 }, () => {
  let platform: Platform;
  const publishers: ManagedProcess[] = [];

  before(async () => {
    platform = await startPlatform();
  });
  after(async () => {
    for (const p of publishers) await p.stop();
    await platform?.stop();
  });

  async function live(name: string) {
    const streamer = await platform.createStreamer(name);
    publishers.push(publishTestPattern({ url: platform.publishUrl(streamer.streamKey), gop: 30 }));
    await waitFor('the channel to go live', async () => (await platform.db.channel.findUniqueOrThrow({ where: { id: streamer.channelId } })).isLive, 20_000, platform);
    return streamer;
  }

  it('plays by slug (H.264 + AAC, 5 s that decode), counts the player as a viewer, refuses the key and a disabled channel', async () => {
    const alice = await live('alice');
    const url = (name: string) => `${platform.rtmpUrl}/${name}`;
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', url(alice.slug)]);
    assert.equal(probe.code, 0, `${probe.stderr}\n${platform.output()}`);
    assert.deepEqual(probe.stdout.trim().split('\n').sort(), ['aac', 'h264']);
    const recorded = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', url(alice.slug), '-t', '5', '-f', 'null', '-']);
    assert.equal(recorded.code, 0, recorded.stderr);

    const player = await RtmpPlayer.open(platform.rtmpPort);
    assert.ok((await player.play(alice.slug)).includes('onStatus:NetStream.Play.Start'));
    await waitFor('the RTMP player in the viewer count', async () => (await directoryViewers(platform, alice.slug)) === 1, 15_000, platform);
    player.close();
    await waitFor('the RTMP player out of the viewer count', async () => (await directoryViewers(platform, alice.slug)) === 0, 15_000, platform);

    const byKey = await RtmpPlayer.open(platform.rtmpPort);
    const keyCodes = await byKey.play(alice.streamKey);
    assert.ok(keyCodes.includes('onStatus:NetStream.Play.StreamNotFound'), keyCodes.join(','));

    const bob = await live('bob');
    await platform.db.channel.update({ where: { id: bob.channelId }, data: { disabled: true } });
    const disabled = await RtmpPlayer.open(platform.rtmpPort);
    const codes = await disabled.play(bob.slug);
    assert.ok(codes.includes('onStatus:NetStream.Play.Failed'), codes.join(','));
    await disabled.until(() => disabled.closed);
    assert.equal(disabled.videoMessages, 0);
    assert.doesNotMatch(platform.output(), new RegExp(alice.streamKey), 'no log line carries the key');
  });
});
