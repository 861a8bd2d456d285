// Embeds and sharing, end to end (#17): the real web app and media server, ffmpeg publishing,
// and Chromium showing the channel's player inside an <iframe> on another site (a tiny HTTP
// server of this test, reached as http://embedder.test:<port>). The streamer's embed setting is
// enforced by Chromium through frame-ancestors: it plays where allowed and is refused elsewhere.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { hashPassword } from '../../lib/passwords';
import { publishTestPattern } from '../../media-server/test/helpers/ffmpeg.js';
import type { ManagedProcess } from '../../media-server/test/helpers/process.js';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { startPlatform, type Platform, type Streamer } from '../helpers/platform';
import { waitFor } from '../helpers/wait-for';

const EMBEDDER_HOST = 'embedder.test';

/** The other site: one page that holds whatever embed code the test gives it. */
async function startEmbedder(): Promise<{ origin: string; show(html: string): void; close(): Promise<void> }> {
  let body = '<!doctype html><title>empty</title>';
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${EMBEDDER_HOST}:${port}`,
    show(html) {
      body = `<!doctype html><html><head><title>A blog</title></head><body><h1>My blog</h1>${html}</body></html>`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function metaTags(html: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const [, key = '', value = ''] of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)) tags.set(key, value);
  return tags;
}

async function playback(frame: Frame) {
  return frame.evaluate(() => {
    const video = document.querySelector('video');
    return video ? { currentTime: video.currentTime, frames: video.getVideoPlaybackQuality().totalVideoFrames } : null;
  });
}

describe('embeds and sharing (web app + media server + ffmpeg + Chromium)', { timeout: 300_000 }, () => {
  let platform: Platform;
  let alice: Streamer;
  let browser: LaunchedBrowser;
  let embedder: Awaited<ReturnType<typeof startEmbedder>>;
  let publisher: ManagedProcess | undefined;
  let embedCode = '';

  before(async () => {
    platform = await startPlatform();
    alice = await platform.createStreamer('alice', { displayName: 'Alice', title: 'Embed me' });
    embedder = await startEmbedder();
    browser = await launchBrowser({ args: [`--host-resolver-rules=MAP ${EMBEDDER_HOST} 127.0.0.1`] });
    publisher = publishTestPattern({ url: platform.publishUrl(alice.streamKey), size: '320x240', fps: 30, gop: 30 });
    await waitFor('alice live', async () => (await platform.db.channel.findUnique({ where: { slug: 'alice' } }))?.isLive, 30_000, platform);
  });

  after(async () => {
    await publisher?.stop();
    await browser?.close();
    await embedder?.close();
    await platform?.stop();
  });

  const setEmbedRule = (stored: string) => platform.db.channel.update({ where: { slug: 'alice' }, data: { embedAllowedOrigins: stored } });

  /** Opens the other site's page; returns the iframe's frame and the frame refusals Chromium logged. */
  async function openEmbedder(page: Page): Promise<{ frame: Frame; refusals: string[]; blocked: string[] }> {
    const refusals: string[] = [];
    const blocked: string[] = [];
    // Chromium 156 logs "Framing '<origin>' violates the following Content Security Policy
    // directive: "frame-ancestors ..."" (older ones "Refused to frame ...") and fails the request.
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText === 'net::ERR_BLOCKED_BY_RESPONSE') blocked.push(request.url());
    });
    await page.goto(`${embedder.origin}/`);
    const handle = await page.waitForSelector('iframe');
    const frame = await handle.contentFrame();
    assert.ok(frame, 'the iframe has a frame');
    return { frame, refusals, blocked };
  }

  async function assertPlaysInFrame(page: Page) {
    const { frame, refusals } = await openEmbedder(page);
    await waitFor('decoded frames inside the iframe', async () => {
      const state = await playback(frame).catch(() => null);
      return state && state.currentTime > 1 && state.frames > 15 ? state : null;
    }, 45_000, platform);
    assert.deepEqual(refusals, []);
    return frame;
  }

  async function assertRefusedInFrame(page: Page) {
    const { frame, refusals, blocked } = await openEmbedder(page);
    await waitFor('Chromium to refuse the frame', async () => refusals.length > 0 && blocked.length > 0, 15_000, platform);
    assert.match(refusals[0] ?? '', /violates the following Content Security Policy directive: "frame-ancestors/);
    assert.ok(blocked[0]?.startsWith(platform.app.url), `blocked ${blocked[0]}`);
    // The frame shows Chromium's error page, never the player.
    await waitFor('the error page in the frame', async () => frame.url().startsWith('chrome-error://'), 10_000);
    assert.equal(await frame.evaluate(() => document.querySelector('video') !== null).catch(() => false), false);
  }

  it('the Share control gives the page link, the embed code and the RTMP play URL', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${platform.app.url}/alice`);
      await page.getByText('Share', { exact: true }).click();
      assert.equal(await page.getByTestId('share-link').innerText(), `${platform.app.url}/alice`);
      assert.equal(await page.getByTestId('share-rtmp').innerText(), `${platform.rtmpUrl}/alice`);
      embedCode = await page.getByTestId('share-embed').innerText();
      assert.match(embedCode, new RegExp(`^<iframe src="${platform.app.url}/alice/embed" `));
      assert.equal(await page.getByRole('button', { name: 'Copy embed code' }).getAttribute('data-copy-value'), embedCode);
      embedder.show(embedCode);
    } finally {
      await page.close();
    }
  });

  it('by default any site may embed: the player plays in the iframe, alone, with the channel name', async () => {
    assert.ok(embedCode, 'the embed code from the Share control');
    const page = await browser.context.newPage();
    try {
      const frame = await assertPlaysInFrame(page);
      assert.equal(await frame.locator('.site-header').count(), 0, 'no site header in the embed');
      assert.match(await frame.locator('main').innerText(), /Alice[\s\S]*Embed me/);
      assert.equal(await frame.locator('a[target="_blank"]').getAttribute('href'), `${platform.app.url}/alice`);
      // The player fills the iframe's width (640 px in the embed code).
      const width = await frame.evaluate(() => document.querySelector('video')?.getBoundingClientRect().width ?? 0);
      assert.ok(Math.abs(width - 640) < 2, `video width ${width}`);
    } finally {
      await page.close();
    }
  });

  it('"no site": Chromium refuses the frame', async () => {
    await setEmbedRule('none');
    const page = await browser.context.newPage();
    try {
      await assertRefusedInFrame(page);
    } finally {
      await page.close();
      await setEmbedRule('*');
    }
  });

  it('a list with the embedding site plays; a list without it is refused', async () => {
    await setEmbedRule(`https://other.example ${embedder.origin}`);
    const allowed = await browser.context.newPage();
    try {
      await assertPlaysInFrame(allowed);
    } finally {
      await allowed.close();
    }
    await setEmbedRule('https://other.example http://127.0.0.1:1');
    const refused = await browser.context.newPage();
    try {
      await assertRefusedInFrame(refused);
    } finally {
      await refused.close();
      await setEmbedRule('*');
    }
  });

  it('every other page refuses to be framed (the channel page itself here)', async () => {
    embedder.show(`<iframe src="${platform.app.url}/alice" width="640" height="360"></iframe>`);
    const page = await browser.context.newPage();
    try {
      await assertRefusedInFrame(page);
    } finally {
      await page.close();
      embedder.show(embedCode);
    }
  });

  it('the embed response sets no cookie and reads no session, even for a signed-in viewer', async () => {
    await createUserWithChannel(platform.db, { username: 'carol', passwordHash: await hashPassword('carol password') });
    const csrf = await fetch(`${platform.app.url}/api/auth/csrf`);
    const jar = new Map(csrf.headers.getSetCookie().map((line) => (line.split(';')[0] ?? '').split('=', 2) as [string, string]));
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const signIn = await fetch(`${platform.app.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
      body: new URLSearchParams({ username: 'carol', password: 'carol password', csrfToken, callbackUrl: `${platform.app.url}/` }).toString(),
    });
    for (const line of signIn.headers.getSetCookie()) {
      const [name = '', value = ''] = (line.split(';')[0] ?? '').split(/=(.*)/s);
      jar.set(name, value);
    }
    assert.ok(jar.get('next-auth.session-token'), 'signed in');

    // The same session on the channel page shows the signed-in header: the cookie works.
    const channelPage = await (await fetch(`${platform.app.url}/alice`, { headers: { cookie: cookie() } })).text();
    assert.match(channelPage, /Sign out \(<!-- -->carol<!-- -->\)|Sign out \(carol\)/);

    for (const headers of [{}, { cookie: cookie() }] as Array<Record<string, string>>) {
      const response = await fetch(`${platform.app.url}/alice/embed`, { headers });
      assert.equal(response.status, 200);
      assert.deepEqual(response.headers.getSetCookie(), []);
      assert.equal(response.headers.get('content-security-policy'), 'frame-ancestors *');
      assert.equal(response.headers.get('x-frame-options'), null);
      const html = await response.text();
      assert.doesNotMatch(html, /Sign out|Sign in|carol/, 'no session was looked up');
    }
    // A client cannot turn the embed mode on for another page with the proxy's marker header.
    const spoofed = await fetch(`${platform.app.url}/alice`, { headers: { 'x-onair-embed': '1', cookie: cookie() } });
    assert.equal(spoofed.headers.get('x-frame-options'), 'DENY');
    assert.match(await spoofed.text(), /site-header/);
  });

  it('dashboard: the RTMP play URL, and the embed form refuses a bad site and saves a list', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${platform.app.url}/login?callbackUrl=%2Fdashboard`);
      await page.locator('#field-username').fill('carol');
      await page.locator('#field-password').fill('carol password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${platform.app.url}/dashboard`);
      assert.equal(await page.getByTestId('rtmp-play-url').innerText(), `${platform.rtmpUrl}/carol`);
      assert.equal(await page.getByLabel('Any site').isChecked(), true, 'the default');

      await page.getByLabel('Only these sites').check();
      await page.locator('#field-origins').fill('https://blog.example\nhttps://*.example');
      await page.getByRole('button', { name: 'Apply embed settings' }).click();
      await page.getByText(/https:\/\/\*\.example must be a site origin/).waitFor();
      const unchanged = await platform.db.channel.findUniqueOrThrow({ where: { slug: 'carol' } });
      assert.equal(unchanged.embedAllowedOrigins, '*');

      await page.locator('#field-origins').fill(`https://Blog.example\n${embedder.origin}/`);
      await page.getByRole('button', { name: 'Apply embed settings' }).click();
      await page.getByText('Embed settings saved.').waitFor();
      const saved = await platform.db.channel.findUniqueOrThrow({ where: { slug: 'carol' } });
      assert.equal(saved.embedAllowedOrigins, `https://blog.example ${embedder.origin}`);
      const embed = await fetch(`${platform.app.url}/carol/embed`);
      assert.equal(embed.headers.get('content-security-policy'), `frame-ancestors https://blog.example ${embedder.origin}`);
      await page.reload();
      assert.equal(await page.getByLabel('Only these sites').isChecked(), true);
      assert.equal(await page.locator('#field-origins').inputValue(), `https://blog.example\n${embedder.origin}`);
    } finally {
      await page.close();
    }
  });

  it('Open Graph and Twitter card tags follow the live state; the embedded player shows the end', async () => {
    const html = await (await fetch(`${platform.app.url}/alice`)).text();
    const tags = metaTags(html);
    assert.equal(tags.get('og:type'), 'video.other');
    assert.equal(tags.get('og:title'), '🔴 LIVE · Embed me — Alice');
    assert.equal(tags.get('og:url'), `${platform.app.url}/alice`);
    assert.equal(tags.get('og:site_name'), 'OnAir');
    assert.match(tags.get('og:description') ?? '', /^Live now: Alice is streaming on OnAir\./);
    assert.equal(tags.get('og:image'), `${platform.app.url}/api/thumbnails/alice`);
    assert.equal(tags.get('twitter:card'), 'summary_large_image');
    assert.equal(tags.get('twitter:title'), tags.get('og:title'));
    assert.equal(tags.get('twitter:image'), tags.get('og:image'));
    const image = await fetch(tags.get('og:image') ?? '');
    assert.equal(image.status, 200);
    assert.match(image.headers.get('content-type') ?? '', /^image\//);

    // The embedded player follows the channel's state without a reload: the stream ends, it says so.
    const page = await browser.context.newPage();
    try {
      const frame = await assertPlaysInFrame(page);
      await publisher?.stop();
      publisher = undefined;
      await waitFor('"Stream ended" in the iframe', async () => (await frame.locator('main').getAttribute('data-stage')) === 'ended', 30_000, platform);
      assert.match(await frame.locator('main').innerText(), /Stream ended/);
      assert.match(await frame.locator('a[target="_blank"]').innerText(), /Offline/i);
    } finally {
      await page.close();
    }
    await waitFor('alice offline', async () => !(await platform.db.channel.findUnique({ where: { slug: 'alice' } }))?.isLive, 30_000, platform);
    const offline = metaTags(await (await fetch(`${platform.app.url}/alice`)).text());
    assert.equal(offline.get('og:type'), 'website');
    assert.equal(offline.get('og:title'), 'Embed me — Alice');
    assert.equal(offline.get('og:description'), 'Alice is offline.');
  });
});
