// The chat's data layer and its service against a real migrated database, on both providers:
// the one id sequence, history, resume, deletions and purges, sanctions, moderators and rights.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { InProcessChatBus, type ChatBusEvent } from '../../../lib/chat/bus';
import { getChatChannelOrThrow, type ChatChannel } from '../../../lib/chat/channel';
import { chatReader } from '../../../lib/chat/reader';
import { SendGate } from '../../../lib/chat/send-gate';
import { ChatService, type ChatUser } from '../../../lib/chat/service';
import { addChatModeratorByUsername, chatModeratorsOf, chatSanctionsOf, liftChatSanctionByUsername, removeChatModeratorByUsername, updateChatSettings } from '../../../lib/chat/settings';
import { chatEventsAfter, chatHistory } from '../../../lib/chat/store';
import { chatViewerOf } from '../../../lib/chat/viewer';
import { createDb, type Db } from '../../../lib/db';
import { AppError } from '../../../lib/errors';
import type { PublishedEvent } from '../../../lib/live/published-event';
import type { LiveEventMap, LiveEventName } from '../../../lib/live/types';
import { manualClock } from '../../helpers/clock';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../helpers/database';

type Received = { name: LiveEventName; data: unknown; id: number | null };

/** A reader as an event stream sees it: what it was sent, in order. */
function collectingOut() {
  const events: Received[] = [];
  let closed = false;
  return {
    events,
    get closed() {
      return closed;
    },
    out: {
      send: <K extends LiveEventName>(name: K, data: LiveEventMap[K]) => void events.push({ name, data, id: null }),
      sendPublished: (event: PublishedEvent) => void events.push({ name: event.name, data: event.data, id: event.id }),
      close: () => {
        closed = true;
      },
    },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const rejectsWith = (status: number, message: RegExp) => (error: unknown) =>
  error instanceof AppError && error.status === status && message.test(error.message);

for (const kind of DATABASE_KINDS) describe(`chat data (${kind})`, () => {
  let database: TestDatabase;
  let db: Db;
  const users: Record<string, ChatUser & { username: string }> = {};
  let channel: ChatChannel;
  let bus: InProcessChatBus;
  let clock: ReturnType<typeof manualClock>;
  let service: ChatService;

  before(async () => {
    database = await createTestDatabase(kind);
    db = createDb(database.url);
    for (const name of ['streamer', 'viewer', 'other', 'mod', 'boss']) {
      const { user } = await createUserWithChannel(db, {
        username: name,
        passwordHash: null,
        displayName: name === 'viewer' ? 'Vi <b>ewer</b>' : null,
        email: `${name}@example.com`,
        isAdmin: name === 'boss',
      });
      users[name] = { id: user.id, isAdmin: user.isAdmin, username: name };
    }
    await addChatModeratorByUsername(db, users.streamer!.id, 'mod');
  });

  after(async () => {
    await db.$disconnect();
    await database.cleanup();
  });

  beforeEach(async () => {
    await db.chatEvent.deleteMany({});
    await db.chatSanction.deleteMany({});
    channel = await updateChatSettings(db, users.streamer!.id, { mode: 'always', slowModeSeconds: 0 });
    bus = new InProcessChatBus();
    clock = manualClock(Date.UTC(2026, 11, 4, 12));
    service = new ChatService({ db, bus, clock, gate: new SendGate({ clock, rateLimit: 1000 }) });
  });

  it('a message gets the next id of the site-wide sequence, badges, the display name, and is published once', async () => {
    const published: ChatBusEvent[] = [];
    bus.subscribe(channel.id, (event) => published.push(event));
    const first = await service.send(users.viewer!, channel, '  <script>alert(1)</script>  ');
    const second = await service.send(users.streamer!, channel, 'hi');
    const third = await service.send(users.mod!, channel, 'hello');
    const fourth = await service.send(users.boss!, channel, 'admin here');
    assert.equal(Number(second.id), Number(first.id) + 1);
    assert.deepEqual(
      { ...first, id: undefined, at: undefined },
      { id: undefined, at: undefined, userId: users.viewer!.id, name: 'Vi <b>ewer</b>', username: 'viewer', badges: [], text: '<script>alert(1)</script>' },
    );
    assert.deepEqual([second.badges, third.badges, fourth.badges], [['streamer'], ['moderator'], ['admin']]);
    assert.equal(second.name, 'streamer', 'username when no display name');
    assert.deepEqual(published.map((e) => [e.name, e.id]), [first, second, third, fourth].map((m) => ['chat-message', Number(m.id)]));
    const wire = new TextDecoder().decode(published[0]!.bytes);
    assert.ok(!wire.includes('@example.com'), 'no e-mail on the wire');
    assert.match(wire, new RegExp(`^id: ${first.id}\nevent: chat-message\ndata: .*"text":"<script>alert\\(1\\)</script>"`));
  });

  it('history: the last 50 shown messages, oldest first, without deleted ones', async () => {
    const sent = [];
    for (let i = 0; i < 55; i++) sent.push(await service.send(users.viewer!, channel, `message ${i}`));
    await service.deleteMessage(users.mod!, channel, Number(sent[54]!.id));
    const history = await chatHistory(db, channel.id, 50);
    assert.equal(history.length, 50);
    assert.deepEqual(history.map((m) => m.text), sent.slice(4, 54).map((m) => m.text));
  });

  it('refusals: ban, time-out (with minutes left), closed room, empty and long text, duplicate', async () => {
    await service.timeOut(users.mod!, channel, users.viewer!.id, 10);
    clock.advance(60_000 + 1);
    await assert.rejects(service.send(users.viewer!, channel, 'hi'), rejectsWith(403, /^You are timed out for 9 more minutes\.$/));
    assert.deepEqual(await chatViewerOf(db, channel, users.viewer!, new Date(clock.now())), {
      signedIn: true, canModerate: false, sanction: { kind: 'timeout', until: new Date(Date.UTC(2026, 11, 4, 12, 10)).toISOString() },
    });
    clock.advance(9 * 60_000);
    await service.send(users.viewer!, channel, 'back');
    await service.ban(users.streamer!, channel, users.viewer!.id, false);
    await assert.rejects(service.send(users.viewer!, channel, 'hi'), rejectsWith(403, /^You are banned from this chat\.$/));
    await service.timeOut(users.mod!, channel, users.viewer!.id, 1);
    await assert.rejects(service.send(users.viewer!, channel, 'hi'), rejectsWith(403, /banned/), 'a time-out does not shorten a ban');
    await service.unban(users.mod!, channel, users.viewer!.id);
    await service.send(users.viewer!, channel, 'free again');

    const off = await updateChatSettings(db, users.streamer!.id, { mode: 'off', slowModeSeconds: 0 });
    await assert.rejects(service.send(users.other!, off, 'hi'), rejectsWith(403, /turned off/));
    const liveOnly = await updateChatSettings(db, users.streamer!.id, { mode: 'live', slowModeSeconds: 0 });
    await assert.rejects(service.send(users.other!, liveOnly, 'hi'), rejectsWith(403, /when the stream is live/));
    await service.send(users.other!, { ...liveOnly, isLive: true }, 'hi');

    await assert.rejects(service.send(users.other!, channel, '   '), rejectsWith(422, /Type a message/));
    await assert.rejects(service.send(users.other!, channel, 'x'.repeat(501)), rejectsWith(422, /at most 500 characters/));
    await assert.rejects(service.send(users.other!, channel, 'HI'), rejectsWith(409, /just sent that/));
  });

  it('slow mode refuses with the seconds left; the owner and moderators are exempt', async () => {
    const slow = await updateChatSettings(db, users.streamer!.id, { mode: 'always', slowModeSeconds: 30 });
    await service.send(users.viewer!, slow, 'one');
    clock.advance(12_000);
    await assert.rejects(service.send(users.viewer!, slow, 'two'), (error: unknown) =>
      error instanceof AppError && error.status === 429 && error.retryAfterSeconds === 18 && /18 seconds/.test(error.message));
    await service.send(users.mod!, slow, 'a');
    await service.send(users.mod!, slow, 'b');
    await service.send(users.streamer!, slow, 'c');
    await service.send(users.streamer!, slow, 'd');
  });

  it('rights: only the owner, moderators and admins moderate; they cannot be timed out or banned', async () => {
    const message = await service.send(users.other!, channel, 'spam');
    await assert.rejects(service.deleteMessage(users.viewer!, channel, Number(message.id)), rejectsWith(403, /Only the streamer, moderators and site admins/));
    await assert.rejects(service.timeOut(users.viewer!, channel, users.other!.id, 5), rejectsWith(403, /Only the streamer/));
    await assert.rejects(service.ban(users.viewer!, channel, users.other!.id, true), rejectsWith(403, /Only the streamer/));
    await assert.rejects(service.unban(users.viewer!, channel, users.other!.id), rejectsWith(403, /Only the streamer/));
    for (const target of ['streamer', 'mod', 'boss']) {
      await assert.rejects(service.timeOut(users.mod!, channel, users[target]!.id, 5), rejectsWith(403, /cannot be timed out or banned/));
      await assert.rejects(service.ban(users.boss!, channel, users[target]!.id, false), rejectsWith(403, /cannot be timed out or banned/));
    }
    await assert.rejects(service.ban(users.mod!, channel, 'no-such-user', false), rejectsWith(404, /No such user/));
    await assert.rejects(service.deleteMessage(users.mod!, channel, 999_999_999), rejectsWith(404, /No such message/));
    // A site admin moderates every channel, an appointed moderator only the one they were appointed in.
    const otherChannel = await getChatChannelOrThrow(db, 'other');
    const own = await service.send(users.viewer!, otherChannel, 'in other');
    await assert.rejects(service.deleteMessage(users.mod!, otherChannel, Number(own.id)), rejectsWith(403, /Only the streamer/));
    await service.deleteMessage(users.boss!, otherChannel, Number(own.id));
    assert.deepEqual(await chatViewerOf(db, channel, users.mod!), { signedIn: true, canModerate: true, sanction: null });
    assert.deepEqual(await chatViewerOf(db, channel, null), { signedIn: false, canModerate: false, sanction: null });
    assert.deepEqual(await chatViewerOf(db, otherChannel, users.mod!), { signedIn: true, canModerate: false, sanction: null });
  });

  it('ban with purge deletes all their messages in the channel, as chat-delete events in the sequence', async () => {
    const theirs = [];
    for (let i = 0; i < 3; i++) theirs.push(await service.send(users.other!, channel, `bad ${i}`));
    const kept = await service.send(users.viewer!, channel, 'fine');
    const published: ChatBusEvent[] = [];
    bus.subscribe(channel.id, (event) => published.push(event));
    await service.ban(users.mod!, channel, users.other!.id, true);
    assert.equal(published.length, 1);
    assert.equal(published[0]!.name, 'chat-delete');
    assert.deepEqual(published[0]!.data, { ids: theirs.map((m) => m.id) });
    assert.ok(published[0]!.id! > Number(kept.id));
    assert.deepEqual((await chatHistory(db, channel.id, 50)).map((m) => m.id), [kept.id]);
    const after = await chatEventsAfter(db, channel.id, Number(kept.id), 10);
    assert.deepEqual(after.events, [{ kind: 'delete', id: published[0]!.id, ids: theirs.map((m) => m.id) }]);
  });

  it('a reader without Last-Event-ID gets chat-history, then chat-room, then live messages', async () => {
    const old = await service.send(users.viewer!, channel, 'before');
    const reader = collectingOut();
    const follow = chatReader({ db, bus, channel, lastEventId: null })(reader.out);
    await until(() => reader.events.some((e) => e.name === 'chat-room'), 'chat-room');
    const live = await service.send(users.other!, channel, 'after');
    await until(() => reader.events.length === 3, 'live message');
    follow.stop();
    assert.deepEqual(reader.events.map((e) => e.name), ['chat-history', 'chat-room', 'chat-message']);
    assert.deepEqual((reader.events[0]!.data as LiveEventMap['chat-history']).messages.map((m) => m.id), [old.id]);
    assert.equal(reader.events[2]!.id, Number(live.id));
    assert.equal(bus.listenerCount(channel.id), 0, 'stop() unsubscribes');
  });

  it('resume: the events after Last-Event-ID (deletions too), then live ones, no gap and no duplicate, even while writes race the read', async () => {
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await service.send(users.viewer!, channel, `seen ${i}`));
    const missed = [];
    for (let i = 0; i < 4; i++) missed.push(await service.send(users.other!, channel, `missed ${i}`));
    await service.deleteMessage(users.mod!, channel, Number(seen[1]!.id));
    await service.deleteMessage(users.mod!, channel, Number(missed[0]!.id));
    const reader = collectingOut();
    const follow = chatReader({ db, bus, channel, lastEventId: Number(seen[4]!.id) })(reader.out);
    // Writes while the reader's database read is in flight: each must arrive exactly once.
    const racing = [];
    for (let i = 0; i < 10; i++) racing.push(await service.send(users.viewer!, channel, `racing ${i}`));
    await until(() => reader.events.filter((e) => e.id !== null).length >= 3 + 2 + 10, 'replay and live');
    follow.stop();
    const sequenced = reader.events.filter((e) => e.id !== null);
    const ids = sequenced.map((e) => e.id!);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in order');
    assert.equal(new Set(ids).size, ids.length, 'no duplicate');
    assert.ok(!reader.events.some((e) => e.name === 'chat-history'), 'a replay, not the history');
    const messages = sequenced.filter((e) => e.name === 'chat-message').map((e) => (e.data as { text: string }).text);
    assert.deepEqual(messages, ['missed 1', 'missed 2', 'missed 3', ...racing.map((m) => m.text)], 'the deleted missed message is not replayed');
    const deletes = sequenced.filter((e) => e.name === 'chat-delete').map((e) => (e.data as { ids: string[] }).ids);
    assert.deepEqual(deletes, [[seen[1]!.id], [missed[0]!.id]], 'deletions that happened while away are replayed');
    assert.ok(reader.events.some((e) => e.name === 'chat-room'), 'chat-room on every connect');
  });

  it('resume after more than 200 missed events, or from a non-number, falls back to history', async () => {
    const first = await service.send(users.viewer!, channel, 'start');
    for (let i = 0; i < 201; i++) await service.send(users.viewer!, channel, `m ${i}`);
    for (const lastEventId of [Number(first.id), null]) {
      const reader = collectingOut();
      const follow = chatReader({ db, bus, channel, lastEventId })(reader.out);
      await until(() => reader.events.some((e) => e.name === 'chat-room'), 'start');
      follow.stop();
      assert.equal(reader.events[0]!.name, 'chat-history');
      assert.equal((reader.events[0]!.data as LiveEventMap['chat-history']).messages.length, 50);
    }
  });

  it('settings: the room follows live status and settings changes; moderators by username', async () => {
    const liveOnly = await updateChatSettings(db, users.streamer!.id, { mode: 'live', slowModeSeconds: 0 });
    const reader = collectingOut();
    const follow = chatReader({ db, bus, channel: liveOnly, lastEventId: null })(reader.out);
    await until(() => reader.events.some((e) => e.name === 'chat-room'), 'start');
    follow.onStatus({ isLive: true, liveSince: null, lastLiveAt: null, title: '', description: '', category: null });
    follow.onStatus({ isLive: true, liveSince: null, lastLiveAt: null, title: 'x', description: '', category: null });
    service.roomChanged(await updateChatSettings(db, users.streamer!.id, { mode: 'live', slowModeSeconds: 20 }));
    follow.stop();
    const rooms = reader.events.filter((e) => e.name === 'chat-room').map((e) => e.data);
    assert.deepEqual(rooms, [
      { mode: 'live', open: false, slowModeSeconds: 0, maxLength: 500 },
      { mode: 'live', open: true, slowModeSeconds: 0, maxLength: 500 },
      { mode: 'live', open: true, slowModeSeconds: 20, maxLength: 500 },
    ]);

    await assert.rejects(addChatModeratorByUsername(db, users.streamer!.id, 'nobody'), rejectsWith(404, /No user has that name/));
    await assert.rejects(addChatModeratorByUsername(db, users.streamer!.id, 'streamer'), rejectsWith(422, /own chat/));
    await addChatModeratorByUsername(db, users.streamer!.id, 'viewer');
    assert.deepEqual((await chatModeratorsOf(db, users.streamer!.id)).map((m) => m.username), ['mod', 'viewer']);
    await removeChatModeratorByUsername(db, users.streamer!.id, 'viewer');
    assert.deepEqual((await chatModeratorsOf(db, users.streamer!.id)).map((m) => m.username), ['mod']);
  });

  it("settings: the owner's list of bans and time-outs in force, and lifting one by username", async () => {
    const streamer = users.streamer!;
    await service.ban(streamer, channel, users.viewer!.id, false);
    await service.timeOut(streamer, channel, users.other!.id, 5);
    // Another channel's ban is not on this owner's list.
    await service.ban(users.boss!, await getChatChannelOrThrow(db, 'mod'), users.viewer!.id, false);
    const now = () => new Date(clock.now());
    // By name: the two may share a createdAt millisecond.
    const listed = async () => (await chatSanctionsOf(db, streamer.id, now())).map((s) => [s.username, s.until?.toISOString() ?? null]).sort();
    assert.deepEqual(await listed(), [
      ['other', new Date(clock.now() + 5 * 60_000).toISOString()],
      ['viewer', null],
    ]);
    clock.advance(5 * 60_000 + 1);
    assert.deepEqual(await listed(), [['viewer', null]], 'an ended time-out is not listed');

    // The owner lifts only in their own chat; an unknown name or nothing to lift is fine.
    await liftChatSanctionByUsername(db, streamer.id, 'viewer');
    await liftChatSanctionByUsername(db, streamer.id, 'nobody');
    assert.deepEqual(await listed(), []);
    assert.deepEqual((await chatSanctionsOf(db, users.mod!.id, now())).map((s) => s.username), ['viewer'], "mod's channel keeps its ban");
  });
});
