// Key reset, kick and lift against the REAL bundled media server (media-server/src/main.ts, given
// MEDIA_SERVER_API_TOKEN through its environment like npm start does) and the real web app
// answering its callbacks (test/helpers/platform.ts), with ffmpeg publishing. lib/moderation runs
// in-process against the media server's private kick endpoint, with the bearer token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resetStreamKey } from '../../lib/channels/reset-stream-key';
import { bundledKickUrl } from '../../lib/media-server/bundled-kick';
import { fetchLiveStreams } from '../../lib/media-server/live-streams';
import { endLiveStream } from '../../lib/moderation/end-live-stream';
import { kickChannel } from '../../lib/moderation/kick-channel';
import { liftPublishBlock } from '../../lib/moderation/lift-publish-block';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { testModerationDeps } from '../helpers/moderation';
import { startPlatform, type Platform } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';

const ENDS_WITHIN_MS = 2_000;

function exitWithin(publisher: ManagedProcess, ms: number): Promise<number | null | 'running'> {
  return Promise.race([publisher.exited(), new Promise<'running'>((r) => setTimeout(() => r('running'), ms))]);
}

describe('moderation with the bundled media server (real media server, web app, ffmpeg)', { timeout: 10 * 60_000 }, () => {
  let platform: Platform;
  const publishers: ManagedProcess[] = [];
  const apiUrl = () => `http://127.0.0.1:${platform.mediaHttpPort}/api/streams`;
  const deps = () => testModerationDeps({ mediaServer: 'bundled', apiUrl: apiUrl(), token: platform.app.mediaServerApiToken });
  const isLive = async (channelId: string) => (await platform.db.channel.findUniqueOrThrow({ where: { id: channelId } })).isLive;
  const mediaLists = async (slug: string) =>
    (await fetchLiveStreams(apiUrl(), { token: platform.app.mediaServerApiToken, timeoutMs: 2_000 })).some((s) => s.name === slug);

  function publish(name: string): ManagedProcess {
    const publisher = publishTestPattern({ url: `${platform.rtmpUrl}/${name}` });
    publishers.push(publisher);
    return publisher;
  }

  async function assertRefused(name: string, what: string) {
    const publisher = publish(name);
    const code = await exitWithin(publisher, 15_000);
    assert.notEqual(code, 'running', `${what}: still publishing after 15 s\n${platform.output()}`);
    assert.notEqual(code, 0, what);
  }

  before(async () => {
    platform = await startPlatform();
  });
  after(async () => {
    for (const publisher of publishers) await publisher.stop(2_000);
    await platform?.stop();
  });

  it('the web app and the media server share the API token: /api/streams answers the app, not a stranger', async () => {
    assert.deepEqual(await fetchLiveStreams(apiUrl(), { token: platform.app.mediaServerApiToken }), []);
    const stranger = await fetch(apiUrl());
    assert.equal(stranger.status, 401);
    const forged = await fetch(bundledKickUrl(apiUrl(), 'live', 'anyone'), { method: 'POST', headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(forged.status, 401);
  });

  it('key reset: the stream running with the old key ends within 2 s, and the old key is refused', async () => {
    const alice = await platform.createStreamer('bnd_alice');
    const publisher = publish(alice.streamKey);
    await waitFor('alice to be live on the media server', () => mediaLists(alice.slug), 30_000, platform);

    const t0 = Date.now();
    const reset = await resetStreamKey(platform.db, alice.userId, undefined, undefined, (db, id) => endLiveStream(db, id, { reason: 'key_reset' }, deps()));
    assert.equal(reset.endedLiveStream, true);
    assert.notEqual(await exitWithin(publisher, ENDS_WITHIN_MS), 'running', `ffmpeg still publishing ${ENDS_WITHIN_MS} ms after the reset\n${platform.output()}`);
    console.log(`bundled: key reset -> publisher disconnected in ${Date.now() - t0} ms`);
    assert.equal(await isLive(alice.channelId), false);
    assert.equal(await mediaLists(alice.slug), false);

    await assertRefused(alice.streamKey, 'the old key');
    await assertRefused(`${alice.slug}?key=${alice.streamKey}`, 'the old key as ?key=');
  });

  it('kick: ends within 2 s, the immediate re-publish is refused, liftPublishBlock lets it publish again', async () => {
    const bob = await platform.createStreamer('bnd_bob');
    const publisher = publish(`${bob.slug}?key=${bob.streamKey}`);
    await waitFor('bob to be live on the media server', () => mediaLists(bob.slug), 30_000, platform);

    const t0 = Date.now();
    assert.deepEqual(await kickChannel(platform.db, bob.channelId, {}, deps()), { wasLive: true, stopped: true });
    assert.notEqual(await exitWithin(publisher, ENDS_WITHIN_MS), 'running', `ffmpeg still publishing ${ENDS_WITHIN_MS} ms after the kick\n${platform.output()}`);
    console.log(`bundled: kick -> publisher disconnected in ${Date.now() - t0} ms`);
    assert.equal(await isLive(bob.channelId), false);

    await assertRefused(bob.streamKey, 'the re-publish right after the kick');
    assert.match(platform.app.output(), /"event":"publish_denied","reason":"publish_blocked"/);

    await liftPublishBlock(platform.db, bob.channelId);
    publish(bob.streamKey);
    await waitFor('bob to be live again after the block was lifted', () => mediaLists(bob.slug), 30_000, platform);
    assert.equal(await isLive(bob.channelId), true);
  });

  it('a name in capitals is refused instead of playing under a page that does not exist', async () => {
    const carol = await platform.createStreamer('bnd_carol');
    await assertRefused(`${carol.slug.toUpperCase()}?key=${carol.streamKey}`, 'BND_CAROL?key=');
    assert.equal(await isLive(carol.channelId), false);
  });
});
