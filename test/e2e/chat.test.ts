// End to end, the chat beside the player as people use it: the real web app (production build),
// one Chromium with a browser context per person — the streamer alice, two signed-in viewers bob
// and carol, and an anonymous viewer — all on /alice at once. Every message goes through the real
// POST route, the database and the page's one event stream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { createUserWithChannel } from '../../lib/channels/create-user-with-channel';
import { insertChatMessage } from '../../lib/chat/store';
import { createDb, type Db } from '../../lib/db';
import { hashPassword } from '../../lib/passwords';
import { launchPeople, signUpThroughForm, type People } from '../helpers/browser';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { waitFor } from '../helpers/wait-for';
import { startWebApp, type WebApp } from '../helpers/web-app';

const PASSWORD = 'chat test password';
const SEEDED = 55;

const chatLog = (page: Page) => page.getByRole('log', { name: 'Chat' });
const chatPanel = (page: Page) => page.getByRole('region', { name: 'Chat' });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Chat message' });
const alertOf = (page: Page) => chatPanel(page).getByRole('alert');
const messageLine = (page: Page, text: string) => chatLog(page).locator('li[data-message-id]', { has: page.locator('[data-chat-text]', { hasText: text }) });

/** The log's messages as the page shows them, in order: id and text. */
function messagesOf(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[role="log"] li[data-message-id]')].map((li) => ({
      id: li.dataset.messageId ?? '',
      user: li.dataset.username ?? '',
      text: li.querySelector('[data-chat-text]')?.textContent ?? '',
    })),
  );
}
const textsOf = async (page: Page) => (await messagesOf(page)).map((m) => m.text);

/** Types `text` and presses Enter; resolves once the POST is answered (the box empties, or an alert shows). */
async function send(page: Page, text: string): Promise<'sent' | string> {
  const box = composer(page);
  await box.fill(text);
  await box.press('Enter');
  return waitFor(`"${text}" to be answered`, async () => {
    if ((await box.inputValue()) === '') return 'sent';
    const alert = (await alertOf(page).textContent())?.trim();
    return alert ? alert : null;
  }, 10_000);
}

/**
 * Notes, in the page, when each message text first appears in the log (wall clock, same machine as
 * the test). A string, because tsx's keepNames would wrap a function's inner arrows in a `__name`
 * helper that does not exist in the page.
 */
const ARRIVAL_RECORDER = `(() => {
  const arrivals = {};
  window.__arrivals = arrivals;
  const log = document.querySelector('[role="log"]');
  if (!log) throw new Error('no chat log');
  const note = () => {
    for (const text of log.querySelectorAll('[data-chat-text]')) arrivals[text.textContent ?? ''] ??= Date.now();
  };
  note();
  new MutationObserver(note).observe(log, { childList: true, subtree: true });
})()`;
const recordArrivals = (page: Page) => page.evaluate(ARRIVAL_RECORDER);
const arrivalsOf = (page: Page) => page.evaluate(() => (window as unknown as { __arrivals: Record<string, number> }).__arrivals);

/** The channel's viewer count as a fresh watch-page stream is told it (that stream counts itself). */
async function viewersNow(appUrl: string, slug: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`${appUrl}/api/channels/${slug}/events`, { signal: controller.signal });
  assert.equal(response.status, 200);
  const reader = response.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before a viewers event: ${text}`);
      text += decoder.decode(value, { stream: true });
      const match = /event: viewers\ndata: (.*)\n/.exec(text);
      if (match?.[1]) return (JSON.parse(match[1]) as { viewers: number }).viewers;
    }
  } finally {
    controller.abort();
  }
}

/** Saves the streamer's chat settings through the dashboard's form. */
async function saveChatSettings(dashboard: Page, appUrl: string, settings: { mode?: 'Always' | 'Only while live' | 'Off'; slowModeSeconds?: number }) {
  await dashboard.goto(`${appUrl}/dashboard`);
  const form = dashboard.getByRole('form', { name: 'Chat settings' });
  if (settings.mode) await form.getByLabel(settings.mode, { exact: true }).check();
  if (settings.slowModeSeconds !== undefined) await form.getByLabel('Slow mode (seconds)').fill(String(settings.slowModeSeconds));
  await form.getByRole('button', { name: 'Save chat settings' }).click();
  await form.getByText(/saved/i).waitFor({ timeout: 10_000 });
}

describe('live chat on the channel page (web app + Chromium)', { timeout: 300_000 }, () => {
  let app: WebApp;
  let db: Db;
  let people: People;
  let alice: Page;
  let bob: Page;
  let carol: Page;
  let anonymous: Page;
  const pageErrors: string[] = [];

  before(async () => {
    // Everyone here comes from 127.0.0.1: let every tab count as a viewer.
    app = await startWebApp({ env: { VIEWERS_PER_ADDRESS: '20' } });
    db = createDb(app.databaseUrl);
    people = await launchPeople();
    [alice, bob, carol] = [await people.person(), await people.person(), await people.person()];
    anonymous = await people.person({ viewport: { width: 390, height: 844 } });
    for (const page of [alice, bob, carol, anonymous]) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
      });
    }
    await signUpThroughForm(alice, app.url, { username: 'alice', password: PASSWORD });
    await signUpThroughForm(bob, app.url, { username: 'bob', password: PASSWORD });
    await signUpThroughForm(carol, app.url, { username: 'carol', password: PASSWORD });
  });

  after(async () => {
    await people?.close();
    await db?.$disconnect();
    await app?.stop();
  });

  it('shows the last 50 messages on join, to signed-in and anonymous readers, beside or under the player', async () => {
    const channel = await db.channel.findUniqueOrThrow({ where: { slug: 'alice' }, select: { id: true } });
    const carolId = (await db.user.findUniqueOrThrow({ where: { username: 'carol' } })).id;
    for (let i = 1; i <= SEEDED; i++) await insertChatMessage(db, { channelId: channel.id, userId: carolId, text: `earlier ${i}`, badges: [] });

    for (const page of [alice, bob, carol, anonymous]) {
      await page.goto(`${app.url}/alice`);
      await waitFor('the history', async () => (await textsOf(page)).length === 50, 15_000, app);
      const texts = await textsOf(page);
      assert.equal(texts[0], `earlier ${SEEDED - 49}`);
      assert.equal(texts.at(-1), `earlier ${SEEDED}`);
    }
    // Signed in: the composer. Anonymous: an invitation instead, back to this page after signing in.
    for (const page of [alice, bob, carol]) assert.equal(await composer(page).isVisible(), true);
    assert.equal(await composer(anonymous).count(), 0);
    const invite = anonymous.getByRole('link', { name: 'Sign in to chat' });
    assert.equal(await invite.getAttribute('href'), '/login?callbackUrl=%2Falice');

    // Wide screen: the chat is beside the player; narrow (the anonymous phone): under it.
    const stage = async (page: Page) => (await page.locator('[data-stage]').boundingBox())!;
    const log = async (page: Page) => (await chatLog(page).boundingBox())!;
    assert.ok((await log(alice)).x >= (await stage(alice)).x + (await stage(alice)).width - 1, 'beside the player');
    assert.ok((await log(anonymous)).y >= (await stage(anonymous)).y + (await stage(anonymous)).height - 1, 'under the player');
    // The log stuck to the newest message.
    assert.equal(await chatLog(bob).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 32), true);
  });

  it('a message from one shows for the others within 1 s, in the same order everywhere; the sender sees theirs at once', async () => {
    const readers = { bob, carol, anonymous };
    for (const page of Object.values(readers)) await recordArrivals(page);
    const sent: Array<{ text: string; by: 'bob' | 'carol'; at: number }> = [];
    for (let round = 1; round <= 3; round++) {
      for (const by of ['bob', 'carol'] as const) {
        const text = `${by} says ${round}`;
        const at = Date.now();
        assert.equal(await send(readers[by], text), 'sent');
        sent.push({ text, by, at });
        // The sender's own copy comes from the POST's answer, before or with the stream's.
        assert.equal(await messageLine(readers[by], text).count(), 1);
      }
    }
    const expected = sent.map((m) => m.text);
    for (const [name, page] of Object.entries(readers)) {
      await waitFor(`all six messages on ${name}'s page`, async () => (await textsOf(page)).slice(-6).join('|') === expected.join('|'), 10_000, app);
      const shown = await messagesOf(page);
      const ids = shown.map((m) => BigInt(m.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => (a < b ? -1 : 1)), `${name}: ordered by id`);
      assert.equal(new Set(shown.map((m) => m.id)).size, shown.length, `${name}: no duplicates`);
    }
    const delays: number[] = [];
    for (const message of sent) {
      for (const [name, page] of Object.entries(readers)) {
        if (name === message.by) continue;
        const arrived = (await arrivalsOf(page))[message.text];
        assert.ok(arrived !== undefined, `${message.text} arrived at ${name}`);
        delays.push(arrived - message.at);
      }
    }
    console.log(`# measured: send (Enter) to shown on the other two pages: max ${Math.max(...delays)} ms, all ${delays.join(', ')} ms`);
    for (const delay of delays) assert.ok(delay < 1_000, `delivered in ${delay} ms`);
    // Names and the streamer's badge.
    assert.equal(await send(alice, 'welcome everyone'), 'sent');
    const line = messageLine(carol, 'welcome everyone');
    await line.waitFor({ timeout: 5_000 });
    assert.match(await line.innerText(), /Streamer\s*alice/i);
  });

  it('shows HTML as text and links as plain http(s) links, never embedded', async () => {
    const text = '<img src=x onerror="window.__pwned=1"><b>bold</b> see https://example.com/a?b=1. javascript:alert(1)';
    assert.equal(await send(bob, text), 'sent');
    for (const page of [carol, anonymous]) {
      const line = messageLine(page, '<b>bold</b>');
      await line.waitFor({ timeout: 5_000 });
      assert.equal(await line.locator('[data-chat-text]').textContent(), text);
      assert.equal(await chatLog(page).locator('img, b, script, iframe, video').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      const links = line.locator('a');
      assert.equal(await links.count(), 1);
      assert.equal(await links.getAttribute('href'), 'https://example.com/a?b=1');
      assert.equal(await links.getAttribute('rel'), 'nofollow noopener ugc');
      assert.equal(await links.getAttribute('target'), '_blank');
    }
  });

  it('the streamer deletes a message and it disappears for everyone', async () => {
    // Only those who may moderate see the controls.
    for (const page of [bob, carol, anonymous]) assert.equal(await chatLog(page).getByRole('button', { name: 'Delete message' }).count(), 0);
    const line = messageLine(alice, 'bob says 2');
    await line.hover();
    await line.getByRole('button', { name: 'Delete message' }).click();
    for (const page of [alice, bob, carol, anonymous]) {
      await waitFor('the message to go', async () => (await messageLine(page, 'bob says 2').count()) === 0, 5_000, app);
      assert.equal(await messageLine(page, 'bob says 3').count(), 1, 'the others stay');
    }
  });

  it("a timed-out user's send is refused with a clear message", async () => {
    const line = messageLine(alice, 'carol says 3');
    await line.hover();
    // Never on the streamer's own messages.
    assert.equal(await messageLine(alice, 'welcome everyone').getByRole('button', { name: /^(Time out|Ban) / }).count(), 0);
    await line.getByRole('button', { name: 'Time out carol' }).click();
    await line.getByLabel('Time out for').selectOption({ label: '5 minutes' });
    await line.getByRole('button', { name: 'Confirm time-out' }).click();
    await chatPanel(alice).getByRole('status').getByText('carol is timed out for 5 minutes.').waitFor({ timeout: 5_000 });

    const refusal = await send(carol, 'can I still talk?');
    assert.match(refusal, /You are timed out for 5 more minutes\./);
    assert.equal(await composer(carol).inputValue(), 'can I still talk?', 'the text stays in the box');
    await new Promise((r) => setTimeout(r, 500));
    for (const page of [alice, bob, anonymous]) assert.equal(await messageLine(page, 'can I still talk?').count(), 0);

    // A fresh page knows before trying.
    await carol.reload();
    await chatPanel(carol).getByText(/You are timed out until/).waitFor({ timeout: 10_000 });
    assert.equal(await composer(carol).isDisabled(), true);
  });

  it('slow mode: a second message within the wait is refused with the seconds left; the streamer is exempt', async () => {
    const dashboard = await alice.context().newPage();
    await saveChatSettings(dashboard, app.url, { slowModeSeconds: 10 });
    for (const page of [bob, anonymous]) await chatPanel(page).getByText('Slow mode: one message every 10 s.').waitFor({ timeout: 5_000 });
    // Slow mode counts from bob's last accepted message, a few seconds ago: let that wait pass first.
    await new Promise((r) => setTimeout(r, 10_000));

    assert.equal(await send(bob, 'slow one'), 'sent');
    const refusal = await send(bob, 'slow two');
    const seconds = Number(/^Slow mode is on: you can send again in (\d+) seconds?\.$/.exec(refusal)?.[1]);
    assert.ok(seconds > 0 && seconds <= 10, refusal);
    assert.equal(await send(alice, 'owner one'), 'sent');
    assert.equal(await send(alice, 'owner two'), 'sent');

    await saveChatSettings(dashboard, app.url, { slowModeSeconds: 0 });
    await waitFor('slow mode off on the page', async () => (await chatPanel(bob).getByText(/Slow mode:/).count()) === 0, 5_000, app);
    await dashboard.close();
  });

  it('rate limit: a burst is cut off with a clear message', async () => {
    let refusal = '';
    let accepted = 0;
    for (let i = 1; i <= 20 && refusal === ''; i++) {
      const outcome = await send(bob, `burst ${i}`);
      if (outcome === 'sent') accepted++;
      else refusal = outcome;
    }
    assert.match(refusal, /^You are sending messages too fast\. Try again in \d+ seconds?\.$/);
    // CHAT_RATE_LIMIT (8) per fixed 10 s window: a burst across a window's edge gets up to two windows' worth.
    assert.ok(accepted <= 16, `${accepted} accepted before the limit`);
    const refused = `burst ${accepted + 1}`;
    assert.equal(await composer(bob).inputValue(), refused, 'the refused text stays in the box');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await messageLine(carol, refused).count(), 0);
  });

  it('a message too long, or the same again, is refused with the reason', async () => {
    assert.equal(await send(alice, 'x'.repeat(501)), 'Messages are at most 500 characters (this one has 501).');
    assert.equal(await send(alice, 'same again'), 'sent');
    assert.equal(await send(alice, 'SAME   again'), 'You just sent that message.');
  });

  it('a ban with purge removes their messages for everyone and stops them sending', async () => {
    assert.ok((await messagesOf(carol)).some((m) => m.user === 'bob'));
    const line = messageLine(alice, 'bob says 3');
    await line.hover();
    await line.getByRole('button', { name: 'Ban bob' }).click();
    assert.equal(await line.getByLabel('Delete their messages in this chat').isChecked(), true);
    await line.getByRole('button', { name: 'Confirm ban' }).click();
    for (const page of [alice, carol, anonymous]) {
      await waitFor("bob's messages to go", async () => !(await messagesOf(page)).some((m) => m.user === 'bob'), 5_000, app);
    }
    assert.match(await send(bob, 'let me back in'), /You are banned from this chat\./);
    await bob.reload();
    await chatPanel(bob).getByText('You are banned from this chat.').waitFor({ timeout: 10_000 });
    assert.equal(await composer(bob).count(), 0);
  });

  it('the streamer sees the ban and the time-out on the dashboard and lifts the ban; bob chats again', async () => {
    const dashboard = await alice.context().newPage();
    await dashboard.goto(`${app.url}/dashboard`);
    const list = dashboard.getByRole('region', { name: 'Banned and timed out' });
    await list.getByText('banned', { exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(await list.getByText(/^timed out until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/).count(), 1, 'carol, timed out');
    assert.equal(await list.getByRole('button', { name: 'End time-out for carol' }).count(), 1);
    await list.getByRole('button', { name: 'Unban bob' }).click();
    await dashboard.getByText('bob may chat again.').waitFor({ timeout: 10_000 });
    await waitFor('bob to leave the list', async () => (await list.getByRole('button', { name: 'Unban bob' }).count()) === 0, 10_000, app);
    await dashboard.close();

    await bob.reload();
    await composer(bob).waitFor({ timeout: 10_000 });
    let outcome = await send(bob, 'bob is back');
    // bob's burst in the rate-limit test may still count: the refusal says how long to wait.
    const wait = /Try again in (\d+) seconds?\./.exec(outcome);
    if (wait) {
      await new Promise((resolve) => setTimeout(resolve, (Number(wait[1]) + 1) * 1000));
      outcome = await send(bob, 'bob is back');
    }
    assert.equal(outcome, 'sent');
    await messageLine(alice, 'bob is back').waitFor({ timeout: 5_000 });
  });

  it('a closed chat says so, and opens again', async () => {
    const dashboard = await alice.context().newPage();
    await saveChatSettings(dashboard, app.url, { mode: 'Only while live' });
    await chatPanel(alice).getByText('Chat opens when the stream goes live.').waitFor({ timeout: 5_000 });
    await chatPanel(anonymous).getByText('Chat opens when the stream goes live.').waitFor({ timeout: 5_000 });
    assert.equal(await composer(alice).count(), 0);
    await saveChatSettings(dashboard, app.url, { mode: 'Off' });
    await chatPanel(anonymous).getByText('Chat is turned off.').waitFor({ timeout: 5_000 });
    await saveChatSettings(dashboard, app.url, { mode: 'Always' });
    await composer(alice).waitFor({ timeout: 5_000 });
    await dashboard.close();
  });

  it('a reader whose connection drops catches up by Last-Event-ID: nothing missed, nothing twice', async () => {
    // Carol reads through a proxy the test can cut (cookies ignore the port: she stays signed in).
    const proxy = await startTcpProxy(app.port);
    try {
      const streams: Request[] = [];
      carol.on('request', (request) => {
        if (request.url().endsWith('/api/channels/alice/events')) streams.push(request);
      });
      await carol.goto(`http://127.0.0.1:${proxy.port}/alice`);
      await waitFor('the history through the proxy', async () => (await textsOf(carol)).length > 2, 10_000, app);
      assert.equal(await send(alice, 'before the drop'), 'sent');
      await messageLine(carol, 'before the drop').waitFor({ timeout: 5_000 });
      const before = await messagesOf(carol);

      proxy.cut();
      // While carol is away: two messages, and a deletion of one she has.
      assert.equal(await send(alice, 'while carol was away 1'), 'sent');
      assert.equal(await send(alice, 'while carol was away 2'), 'sent');
      const gone = before.at(-2);
      assert.ok(gone);
      const line = alice.locator(`li[data-message-id="${gone.id}"]`);
      await line.hover();
      await line.getByRole('button', { name: 'Delete message' }).click();
      await waitFor("the deletion on alice's page", async () => (await line.count()) === 0, 5_000, app);
      assert.equal(await messageLine(carol, 'while carol was away 1').count(), 0, 'carol is really away');
      proxy.restore();

      await waitFor('carol to catch up', async () => (await textsOf(carol)).includes('while carol was away 2'), 20_000, app);
      const after = await messagesOf(carol);
      assert.ok(!after.some((m) => m.id === gone.id), 'the deletion was replayed');
      assert.deepEqual(after.slice(-3).map((m) => m.text), ['before the drop', 'while carol was away 1', 'while carol was away 2']);
      assert.equal(new Set(after.map((m) => m.id)).size, after.length, 'no duplicates');
      const lastSeen = before.at(-1)?.id ?? '';
      // allHeaders(): the network stack's headers; Last-Event-ID is not among the renderer's provisional ones.
      const resumed = await Promise.all(streams.map(async (request) => (await request.allHeaders())['last-event-id'] ?? ''));
      assert.ok(resumed.includes(lastSeen), `reconnected with Last-Event-ID ${lastSeen} (requests sent: ${resumed.map((id) => id || 'none').join(', ')})`);
    } finally {
      await carol.goto(`${app.url}/alice`);
      await proxy.close();
    }
  });

  it('a reader who scrolled up stays there and gets a "New messages" button', async () => {
    await anonymous.reload();
    await waitFor('the history', async () => (await textsOf(anonymous)).length > 20, 10_000, app);
    await chatLog(anonymous).evaluate((el) => {
      el.scrollTop = 0;
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await send(alice, 'while you were reading'), 'sent');
    const jump = chatPanel(anonymous).getByRole('button', { name: 'New messages' });
    await jump.waitFor({ timeout: 5_000 });
    assert.equal(await chatLog(anonymous).evaluate((el) => el.scrollTop), 0, 'the reader stays where they were');
    await jump.click();
    await waitFor('the log at the bottom', () => chatLog(anonymous).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 32), 5_000);
    assert.equal(await jump.count(), 0);
  });

  it('the pop-out chat works and does not count as a viewer', async () => {
    // alice, bob, carol and anonymous each have the channel page open; the probe counts itself.
    await waitFor('4 viewers', async () => (await viewersNow(app.url, 'alice')) === 5, 10_000, app);
    const popout = await anonymous.context().newPage();
    popout.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await popout.goto(`${app.url}/alice/chat`);
    assert.equal(response?.status(), 200);
    await waitFor('the history in the pop-out', async () => (await textsOf(popout)).length > 0, 10_000, app);
    assert.equal(await popout.locator('.site-header').count(), 0, 'the chat alone, no site header');
    assert.ok(await popout.getByRole('link', { name: 'Sign in to chat' }).isVisible());
    assert.equal(await send(alice, 'hello pop-out'), 'sent');
    await messageLine(popout, 'hello pop-out').waitFor({ timeout: 5_000 });
    assert.equal(await viewersNow(app.url, 'alice'), 5, 'the pop-out is no viewer');
    await popout.close();
  });

  it('"Sign in to chat" brings the reader back to the channel, ready to chat', async () => {
    await createUserWithChannel(db, { username: 'dave', passwordHash: await hashPassword(PASSWORD) });
    await anonymous.getByRole('link', { name: 'Sign in to chat' }).click();
    await anonymous.waitForURL(`${app.url}/login?callbackUrl=%2Falice`);
    await anonymous.getByLabel('Username').fill('dave');
    await anonymous.getByLabel('Password').fill(PASSWORD);
    await anonymous.getByRole('button', { name: 'Sign in' }).click();
    await anonymous.waitForURL(`${app.url}/alice`, { timeout: 15_000 });
    await composer(anonymous).waitFor({ timeout: 10_000 });
    assert.equal(await send(anonymous, 'hi, I am dave'), 'sent');
    await messageLine(alice, 'hi, I am dave').waitFor({ timeout: 5_000 });
  });

  it('a moderator the streamer appoints gets the controls and the badge', async () => {
    const dave = anonymous;
    assert.equal(await chatLog(dave).getByRole('button', { name: 'Delete message' }).count(), 0);
    const dashboard = await alice.context().newPage();
    await dashboard.goto(`${app.url}/dashboard`);
    const form = dashboard.getByRole('form', { name: 'Add a moderator' });
    await form.getByLabel("Moderator's username").fill('dave');
    await form.getByRole('button', { name: 'Add moderator' }).click();
    await dashboard.getByText('dave is now a moderator of your chat.').waitFor({ timeout: 10_000 });
    await dashboard.close();

    await dave.reload();
    await waitFor('the history', async () => (await textsOf(dave)).length > 0, 10_000, app);
    assert.ok((await chatLog(dave).getByRole('button', { name: 'Delete message' }).count()) > 0);
    assert.equal(await send(dave, 'dave moderating now'), 'sent');
    const line = messageLine(alice, 'dave moderating now');
    await line.waitFor({ timeout: 5_000 });
    assert.equal(await line.locator('[data-badge="moderator"]').count(), 1);
    assert.deepEqual(pageErrors, []);
  });
});
