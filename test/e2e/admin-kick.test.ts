// /admin/channels in Chromium: an admin kicks a live ffmpeg stream on the real bundled media
// server (the web app's own MEDIA_SERVER_API_URL + token), the publisher's connection ends within
// 2 s of the click's answer, the immediate re-publish is refused, and "Lift block" lets it publish again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { startPlatform, type Platform } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';
import { TEST_ADMIN, TEST_ADMIN_PASSWORD } from '../helpers/web-app';

function exitWithin(publisher: ManagedProcess, ms: number): Promise<number | null | 'running'> {
  return Promise.race([publisher.exited(), new Promise<'running'>((r) => setTimeout(() => r('running'), ms))]);
}

describe('admin kicks a live stream from /admin/channels (Chromium, bundled media server)', { timeout: 300_000 }, () => {
  let platform: Platform;
  let browser: LaunchedBrowser;
  const publishers: ManagedProcess[] = [];

  function publish(key: string): ManagedProcess {
    const publisher = publishTestPattern({ url: platform.publishUrl(key) });
    publishers.push(publisher);
    return publisher;
  }

  before(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const publisher of publishers) await publisher.stop(2_000);
    await browser?.close();
    await platform?.stop();
  });

  it('kick ends the stream, the re-publish is refused, lifting the block lets it publish', async () => {
    const { page } = browser;
    const streamer = await platform.createStreamer('kicked');
    const channelLive = async () => (await platform.db.channel.findUniqueOrThrow({ where: { id: streamer.channelId } })).isLive;
    const publisher = publish(streamer.streamKey);
    await waitFor('the channel to be live', channelLive, 30_000, platform);

    await page.goto(`${platform.app.url}/login?callbackUrl=/admin/channels`);
    await page.getByLabel('Username').fill(TEST_ADMIN);
    await page.getByLabel('Password', { exact: true }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.app.url}/admin/channels`);
    await page.getByText('1 live now.').waitFor();

    const clickedAt = Date.now();
    await page.getByRole('button', { name: `Kick ${streamer.slug}` }).click();
    const code = await exitWithin(publisher, 3_000);
    const endedMs = Date.now() - clickedAt;
    assert.notEqual(code, 'running', `ffmpeg still publishing after the kick\n${platform.output()}`);
    // The bound covers Chromium's round trip through the server action too.
    assert.ok(endedMs <= 3_000, `ended ${endedMs} ms after the click`);
    await page.getByText('Stream kicked').waitFor({ timeout: 10_000 });
    assert.equal(await channelLive(), false);

    const retry = publish(streamer.streamKey);
    const retryCode = await exitWithin(retry, 15_000);
    assert.notEqual(retryCode, 'running', 'the re-publish right after the kick was accepted');
    assert.match(platform.app.output(), /"reason":"publish_blocked"/);

    await page.reload();
    await page.getByRole('button', { name: `Lift block on ${streamer.slug}` }).click();
    await page.getByText('Publish block lifted').waitFor();
    publish(streamer.streamKey);
    await waitFor('the channel to be live again', channelLive, 30_000, platform);
  });
});
