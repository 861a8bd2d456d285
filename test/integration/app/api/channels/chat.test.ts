// The chat's HTTP API and event streams on the REAL app (production build behind
// scripts/web-server.mjs): sending, every refusal with its status and message, moderation rights,
// HTML as text in JSON, resume with Last-Event-ID, the pop-out stream, and a reader that never
// reads being dropped while another gets every event.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../../../lib/channels/create-user-with-channel';
import { createDb, type Db } from '../../../../../lib/db';
import type { ChatMessageView, LiveEventMap } from '../../../../../lib/live/types';
import { hashPassword } from '../../../../../lib/passwords';
import { SseClient } from '../../../../helpers/sse-client';
import { startWebApp, TEST_ADMIN, TEST_ADMIN_PASSWORD, type WebApp } from '../../../../helpers/web-app';

const PASSWORD = 'chat test password';

function cookiesFrom(response: Response, jar = new Map<string, string>()): Map<string, string> {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return jar;
}

/** Signs in through next-auth's Credentials endpoint, as the sign-in form does; returns the Cookie header. */
async function signIn(app: WebApp, username: string, password = PASSWORD): Promise<string> {
  const csrf = await fetch(`${app.url}/api/auth/csrf`);
  const jar = cookiesFrom(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${app.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: new URLSearchParams({ username, password, csrfToken, callbackUrl: `${app.url}/` }).toString(),
  });
  cookiesFrom(response, jar);
  const token = jar.get('next-auth.session-token');
  assert.ok(token, `${username} signed in`);
  return `next-auth.session-token=${token}`;
}

async function createUsers(db: Db, names: readonly string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const passwordHash = await hashPassword(PASSWORD);
  for (const name of names) {
    const { user } = await createUserWithChannel(db, { username: name, passwordHash, email: `${name}@mail.example`, displayName: name === 'alice' ? 'Alice <i>A</i>' : null });
    ids[name] = user.id;
  }
  return ids;
}

interface Caller {
  (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

function callerFor(app: WebApp, cookie: string | null): Caller {
  return (method, path, body, headers = {}) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: {
        origin: app.url,
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string; retryAfter: string | null }> {
  const json = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: json.error.code, message: json.error.message, retryAfter: response.headers.get('retry-after') };
}

const messagesOf = (client: SseClient) => client.named('chat-message').map((e) => e.data as ChatMessageView);

describe('chat API on the real app', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;
  let ids: Record<string, string>;
  const as: Record<string, Caller> = {};
  const path = '/api/channels/streamer/chat';

  before(async () => {
    app = await startWebApp();
    db = createDb(app.databaseUrl);
    ids = await createUsers(db, ['streamer', 'alice', 'bob', 'mod', 'carol', 'dave']);
    const channel = await db.channel.findUniqueOrThrow({ where: { slug: 'streamer' } });
    await db.chatModerator.create({ data: { channelId: channel.id, userId: ids.mod! } });
    for (const name of ['streamer', 'alice', 'bob', 'mod', 'carol', 'dave']) as[name] = callerFor(app, await signIn(app, name));
    as.admin = callerFor(app, await signIn(app, TEST_ADMIN, TEST_ADMIN_PASSWORD));
    as.anonymous = callerFor(app, null);
  });
  after(async () => {
    await db?.$disconnect();
    await app?.stop();
  });

  it('a message reaches the sender, a signed-in reader and an anonymous reader, in order, with HTML kept as text', async () => {
    const readers = await Promise.all([
      SseClient.open(`${app.url}/api/channels/streamer/events`),
      SseClient.open(`${app.url}/api/channels/streamer/events`, { cookie: 'x=y' }),
    ]);
    // The embedded player's stream (?chat=0) carries no chat.
    const embed = await SseClient.open(`${app.url}/api/channels/streamer/events?chat=0`);
    for (const reader of readers) await reader.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');
    assert.deepEqual(readers[0]!.events.map((e) => e.event), ['status', 'viewers', 'chat-history', 'chat-room']);
    const html = '<img src=x onerror="alert(1)"> & <b>bold</b>';
    const response = await as.alice!('POST', `${path}/messages`, { text: `  ${html}  ` });
    assert.equal(response.status, 201);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const raw = await response.text();
    assert.ok(raw.includes('<img src=x onerror=\\"alert(1)\\"> & <b>bold</b>'), 'the text as typed, JSON-escaped only');
    const { message } = JSON.parse(raw) as { message: ChatMessageView };
    assert.equal(message.text, html);
    assert.equal(message.name, 'Alice <i>A</i>');
    assert.deepEqual(message.badges, []);
    assert.ok(!raw.includes('mail.example'), 'no e-mail');
    const second = (await (await as.streamer!('POST', `${path}/messages`, { text: 'welcome' })).json()) as { message: ChatMessageView };
    assert.deepEqual(second.message.badges, ['streamer']);
    for (const reader of readers) {
      await reader.waitFor((e) => e.filter((x) => x.event === 'chat-message').length === 2, 'both messages');
      assert.deepEqual(messagesOf(reader), [message, second.message]);
      assert.deepEqual(reader.named('chat-message').map((e) => e.id), [message.id, second.message.id], 'SSE id: is the message id');
      assert.ok(!JSON.stringify(reader.events).includes('mail.example'));
      await reader.close();
    }
    assert.deepEqual([...new Set(embed.events.map((e) => e.event))].sort(), ['status', 'viewers']);
    await embed.close();
  });

  it('refusals, each with its status and a message a person can read', async () => {
    const cases: { name: string; response: () => Promise<Response>; status: number; message: RegExp }[] = [
      { name: 'not signed in', response: () => as.anonymous!('POST', `${path}/messages`, { text: 'hi' }), status: 401, message: /^Sign in first\.$/ },
      { name: 'no Origin header', response: () => as.alice!('POST', `${path}/messages`, { text: 'hi' }, { origin: '' }), status: 403, message: /must come from this site/ },
      { name: 'another site', response: () => as.alice!('POST', `${path}/messages`, { text: 'hi' }, { origin: 'https://evil.example' }), status: 403, message: /must come from this site/ },
      { name: 'empty', response: () => as.alice!('POST', `${path}/messages`, { text: ' \n ' }), status: 422, message: /^Type a message first\.$/ },
      { name: 'too long', response: () => as.alice!('POST', `${path}/messages`, { text: 'y'.repeat(501) }), status: 422, message: /at most 500 characters/ },
      { name: 'not JSON', response: () => as.alice!('POST', `${path}/messages`, '{"text":'), status: 400, message: /not JSON/ },
      { name: 'no text', response: () => as.alice!('POST', `${path}/messages`, { words: 'hi' }), status: 422, message: /invalid input/ },
      { name: 'body over the bound', response: () => as.alice!('POST', `${path}/messages`, { text: 'z'.repeat(20_000) }), status: 413, message: /over 8192 bytes/ },
      { name: 'unknown channel', response: () => as.alice!('POST', '/api/channels/nobody_here/chat/messages', { text: 'hi' }), status: 404, message: /No such channel/ },
    ];
    for (const c of cases) {
      const error = await errorOf(await c.response());
      assert.equal(error.status, c.status, c.name);
      assert.match(error.message, c.message, c.name);
    }
    assert.equal((await as.bob!('POST', `${path}/messages`, { text: 'Same thing' })).status, 201);
    const duplicate = await errorOf(await as.bob!('POST', `${path}/messages`, { text: 'same   THING' }));
    assert.deepEqual([duplicate.status, duplicate.message], [409, 'You just sent that message.']);
  });

  it('rate limit and slow mode answer 429 with Retry-After; the owner skips slow mode', async () => {
    let refused: Awaited<ReturnType<typeof errorOf>> | null = null;
    for (let i = 0; i < 9 && !refused; i++) {
      const response = await as.carol!('POST', `${path}/messages`, { text: `burst ${i}` });
      if (response.status !== 201) refused = await errorOf(response);
      else assert.ok(i < 8, 'at most 8 per 10 s');
    }
    assert.equal(refused?.status, 429);
    assert.match(refused?.message ?? '', /^You are sending messages too fast\. Try again in \d+ seconds?\.$/);
    assert.ok(Number(refused?.retryAfter) >= 1 && Number(refused?.retryAfter) <= 10);

    await db.channel.update({ where: { slug: 'streamer' }, data: { chatSlowModeSeconds: 60 } });
    try {
      assert.equal((await as.dave!('POST', `${path}/messages`, { text: 'slow one' })).status, 201);
      const slow = await errorOf(await as.dave!('POST', `${path}/messages`, { text: 'slow two' }));
      assert.equal(slow.status, 429);
      assert.match(slow.message, /^Slow mode is on: you can send again in (59|60) seconds\.$/);
      assert.ok(['59', '60'].includes(slow.retryAfter ?? ''));
      assert.equal((await as.streamer!('POST', `${path}/messages`, { text: 'owner one' })).status, 201);
      assert.equal((await as.streamer!('POST', `${path}/messages`, { text: 'owner two' })).status, 201);
      assert.equal((await as.mod!('POST', `${path}/messages`, { text: 'mod one' })).status, 201);
      assert.equal((await as.mod!('POST', `${path}/messages`, { text: 'mod two' })).status, 201);
    } finally {
      await db.channel.update({ where: { slug: 'streamer' }, data: { chatSlowModeSeconds: 0 } });
    }
  });

  it('moderation: rights, delete for everyone, time-out, ban with purge, unban', async () => {
    const reader = await SseClient.open(`${app.url}/api/channels/streamer/events`);
    await reader.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');
    const send = async (who: string, text: string) => ((await (await as[who]!('POST', `${path}/messages`, { text })).json()) as { message: ChatMessageView }).message;
    const spam = await send('alice', 'buy stuff');
    const forbidden = await errorOf(await as.bob!('DELETE', `${path}/messages/${spam.id}`));
    assert.deepEqual([forbidden.status, forbidden.message], [403, 'Only the streamer, moderators and site admins can moderate this chat.']);
    assert.equal((await as.mod!('DELETE', `${path}/messages/${spam.id}`, undefined, { origin: 'https://evil.example' })).status, 403, 'same-origin check on DELETE');
    assert.equal((await as.mod!('DELETE', `${path}/messages/${spam.id}`)).status, 204);
    await reader.waitFor((e) => e.some((x) => x.event === 'chat-delete'), 'chat-delete');
    const deletion = reader.named('chat-delete')[0]!;
    assert.deepEqual(deletion.data, { ids: [spam.id] });
    assert.ok(Number(deletion.id) > Number(spam.id), 'a deletion has its own id in the sequence');
    assert.equal((await as.mod!('DELETE', `${path}/messages/${spam.id}`)).status, 404, 'already gone');

    assert.equal((await as.bob!('POST', `${path}/timeouts`, { userId: ids.alice, minutes: 5 })).status, 403);
    assert.equal((await as.mod!('POST', `${path}/timeouts`, { userId: ids.alice, minutes: 0 })).status, 422);
    assert.equal((await as.mod!('POST', `${path}/timeouts`, { userId: ids.alice, minutes: 10_081 })).status, 422);
    assert.equal((await as.mod!('POST', `${path}/timeouts`, { userId: ids.alice, minutes: 5 })).status, 204);
    const timedOut = await errorOf(await as.alice!('POST', `${path}/messages`, { text: 'let me talk' }));
    assert.deepEqual([timedOut.status, timedOut.message], [403, 'You are timed out for 5 more minutes.']);

    for (const target of ['streamer', 'mod']) {
      const protectedUser = await errorOf(await as.admin!('POST', `${path}/bans`, { userId: ids[target], purge: false }));
      assert.equal(protectedUser.status, 403, target);
      assert.match(protectedUser.message, /cannot be timed out or banned/);
    }
    const bobs = [await send('bob', 'bob 1'), await send('bob', 'bob 2')];
    assert.equal((await as.admin!('POST', `${path}/bans`, { userId: ids.bob, purge: true })).status, 204, 'a site admin moderates every channel');
    await reader.waitFor((e) => e.filter((x) => x.event === 'chat-delete').length === 2, 'the purge');
    const purge = reader.named('chat-delete')[1]!.data as LiveEventMap['chat-delete'];
    assert.ok(bobs.every((m) => purge.ids.includes(m.id)), 'every message of the banned user');
    const banned = await errorOf(await as.bob!('POST', `${path}/messages`, { text: 'hello?' }));
    assert.deepEqual([banned.status, banned.message], [403, 'You are banned from this chat.']);
    assert.equal((await as.alice!('DELETE', `${path}/bans/${ids.bob}`)).status, 403);
    assert.equal((await as.streamer!('DELETE', `${path}/bans/${ids.bob}`)).status, 204);
    assert.equal((await as.bob!('POST', `${path}/messages`, { text: 'I am back' })).status, 201);
    await reader.close();
  });

  it('resume with Last-Event-ID: exactly the events missed (deletions too), no gap, no duplicate', async () => {
    const first = await SseClient.open(`${app.url}/api/channels/streamer/events`);
    await first.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');
    const seen = (await (await as.streamer!('POST', `${path}/messages`, { text: 'seen by the first connection' })).json()) as { message: ChatMessageView };
    await first.waitFor((e) => e.some((x) => x.id === seen.message.id), 'the seen message');
    const lastId = first.events.filter((e) => e.id !== null).at(-1)!.id!;
    await first.close();

    const missed: ChatMessageView[] = [];
    for (const text of ['missed one', 'missed two', 'missed three']) {
      missed.push(((await (await as.streamer!('POST', `${path}/messages`, { text })).json()) as { message: ChatMessageView }).message);
    }
    assert.equal((await as.streamer!('DELETE', `${path}/messages/${seen.message.id}`)).status, 204);

    const resumed = await SseClient.open(`${app.url}/api/channels/streamer/events`, { 'last-event-id': lastId });
    await resumed.waitFor((e) => e.some((x) => x.event === 'chat-delete'), 'the replay');
    const live = ((await (await as.streamer!('POST', `${path}/messages`, { text: 'live after resume' })).json()) as { message: ChatMessageView }).message;
    await resumed.waitFor((e) => e.some((x) => x.id === live.id), 'the live message');
    await resumed.close();
    assert.equal(resumed.named('chat-history').length, 0, 'no history on resume');
    assert.equal(resumed.named('chat-room').length, 1, 'chat-room on every connect');
    const sequenced = resumed.events.filter((e) => e.id !== null);
    assert.deepEqual(
      sequenced.map((e) => [e.event, e.event === 'chat-message' ? (e.data as ChatMessageView).text : (e.data as { ids: string[] }).ids]),
      [...missed.map((m) => ['chat-message', m.text]), ['chat-delete', [seen.message.id]], ['chat-message', 'live after resume']],
    );

    const garbage = await SseClient.open(`${app.url}/api/channels/streamer/events`, { 'last-event-id': 'not-a-number' });
    await garbage.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');
    await garbage.close();
    assert.equal(garbage.named('chat-history').length, 1, 'an unusable id gets the history');
  });

  it('the dashboard shows the chat settings and the moderators', async () => {
    const cookie = await signIn(app, 'streamer');
    const html = await (await fetch(`${app.url}/dashboard`, { headers: { cookie } })).text();
    assert.match(html, /aria-label="Chat settings"/);
    assert.match(html, /Only while live/);
    assert.match(html, /name="slowModeSeconds"[^>]*value="0"|value="0"[^>]*name="slowModeSeconds"/);
    assert.match(html, /Remove mod/, 'the appointed moderator is listed');
  });

  it('the pop-out stream carries status and chat, is not a viewer, and is capped per address (503)', async () => {
    const popouts = [];
    for (let i = 0; i < 3; i++) popouts.push(await SseClient.open(`${app.url}/api/channels/streamer/chat/events`));
    for (const popout of popouts) await popout.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');
    assert.deepEqual(popouts[0]!.events.map((e) => e.event), ['status', 'chat-history', 'chat-room']);
    const fourth = await fetch(`${app.url}/api/channels/streamer/chat/events`);
    assert.equal(fourth.status, 503);
    assert.match((await errorOf(fourth)).message, /Too many chat windows/);
    const page = await SseClient.open(`${app.url}/api/channels/streamer/events`);
    await page.waitFor((e) => e.some((x) => x.event === 'viewers'), 'viewers');
    assert.deepEqual(page.named('viewers')[0]!.data, { viewers: 1 }, 'the three pop-outs are not viewers');
    await page.close();
    await popouts[0]!.close();
    // The slot is freed when the stream ends.
    const again = await SseClient.open(`${app.url}/api/channels/streamer/chat/events`);
    await again.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');
    for (const popout of [...popouts.slice(1), again]) await popout.close();
  });
});

describe('chat readers under load on the real app', { timeout: 600_000 }, () => {
  let app: WebApp;
  let db: Db;
  let stalled: Socket | null = null;

  before(async () => {
    // The sender must not be held back: this test is about the readers.
    app = await startWebApp({ env: { CHAT_RATE_LIMIT: '1000000' } });
    db = createDb(app.databaseUrl);
    await createUsers(db, ['streamer']);
  });
  after(async () => {
    stalled?.destroy();
    await db?.$disconnect();
    await app?.stop();
  });

  it('a reader that never reads is closed while another gets every event, in order', async () => {
    const sender = callerFor(app, await signIn(app, 'streamer'));
    const reading = await SseClient.open(`${app.url}/api/channels/streamer/events`);
    await reading.waitFor((e) => e.some((x) => x.event === 'chat-room'), 'the start');

    const socket = connect(app.port, '127.0.0.1');
    stalled = socket;
    const received: Buffer[] = [];
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`GET /api/channels/streamer/events HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nAccept: text/event-stream\r\n\r\n`);
    // No 'data' listener: the socket stays paused, so the kernel buffers fill and then the app's queue.

    // ~2 KB per message (emoji are 4 bytes of UTF-8 each); send until the app reports the drop.
    const body = '😀'.repeat(490);
    const sent: string[] = [];
    for (let batch = 0; batch < 1000 && !app.output().includes('event_stream_slow_reader_dropped'); batch++) {
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => sender('POST', '/api/channels/streamer/chat/messages', { text: `${batch}.${i} ${body}` })),
      );
      for (const response of responses) {
        assert.equal(response.status, 201);
        sent.push(((await response.json()) as { message: ChatMessageView }).message.id);
      }
    }
    assert.ok(app.output().includes('event_stream_slow_reader_dropped'), `dropped after ${sent.length} messages`);
    // More traffic after the drop: the reading client still gets everything.
    for (let i = 0; i < 20; i++) {
      const response = await sender('POST', '/api/channels/streamer/chat/messages', { text: `after ${i}` });
      sent.push(((await response.json()) as { message: ChatMessageView }).message.id);
    }
    await reading.waitFor((e) => e.filter((x) => x.event === 'chat-message').length === sent.length, 'every message', 60_000);
    assert.deepEqual(reading.named('chat-message').map((e) => e.id), [...sent].sort((a, b) => Number(a) - Number(b)), 'every event, in the server order');
    await reading.close();

    // The stalled connection was ended by the server: reading it now gives a finite, cut-off stream.
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.resume();
    const deadline = Date.now() + 30_000;
    while (!closed && !Buffer.concat(received).includes('\r\n0\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const text = Buffer.concat(received).toString('utf8');
    assert.ok(closed || text.includes('\r\n0\r\n\r\n'), 'the response ended');
    assert.ok(!text.includes(`id: ${sent.at(-1)}\n`), 'without the events published after the drop');
  });
});
