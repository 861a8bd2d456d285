import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveHub, type ChannelRow, type LiveDataSource, type Timers } from '../../../lib/live/live-hub.js';
import { ViewerPresence } from '../../../lib/live/presence.js';
import type { DirectorySnapshot, LiveEventMap } from '../../../lib/live/types.js';
import { manualClock } from '../../helpers/clock';
import { recordingLogger } from '../../helpers/logger';

function row(id: string, over: Partial<ChannelRow> = {}): ChannelRow {
  return {
    id, slug: id, title: `${id} title`, description: '', category: null, streamer: id,
    isLive: false, liveSince: null, lastLiveAt: null, ...over,
  };
}

/** An in-memory table standing in for the Channel rows; counts queries so sharing is visible. */
function fakeSource(initial: ChannelRow[]) {
  const table = new Map(initial.map((r) => [r.id, r]));
  const calls = { channels: 0, recent: 0, peaks: [] as Array<[string, number]> };
  const source: LiveDataSource = {
    async channels(ids) {
      calls.channels++;
      return [...table.values()].filter((r) => r.isLive || ids.includes(r.id));
    },
    async recentlyLive(limit) {
      calls.recent++;
      return [...table.values()].filter((r) => !r.isLive && r.lastLiveAt).sort((a, b) => b.lastLiveAt!.getTime() - a.lastLiveAt!.getTime()).slice(0, limit);
    },
    async recordPeak(channelId, viewers) {
      calls.peaks.push([channelId, viewers]);
    },
  };
  return { source, table, calls, set: (id: string, over: Partial<ChannelRow>) => table.set(id, { ...table.get(id)!, ...over }) };
}

function fakeTimers() {
  let active = 0;
  const timers: Timers = { setInterval: () => ++active, clearInterval: () => void active-- };
  return { timers, active: () => active };
}

type Received = Array<{ [K in 'status' | 'viewers']: [K, LiveEventMap[K]] }['status' | 'viewers']>;

function collect() {
  const events: Received = [];
  return { events, listener: <K extends 'status' | 'viewers'>(event: K, data: LiveEventMap[K]) => events.push([event, data] as Received[number]) };
}

describe('LiveHub', () => {
  it('sends the initial state, then only changes, from one shared query per poll', async () => {
    const db = fakeSource([row('alice'), row('bob')]);
    const presence = new ViewerPresence({ clock: manualClock() });
    const { timers, active } = fakeTimers();
    const hub = new LiveHub({ source: db.source, presence, clock: manualClock(), timers });

    const tabs = [collect(), collect(), collect()];
    const stops = tabs.map((tab) => hub.watchChannel(db.table.get('alice')!, tab.listener));
    const viewers = tabs.map(() => presence.join('alice'));
    assert.equal(active(), 1, 'one timer for all listeners');
    assert.deepEqual(tabs[0]!.events.map(([e]) => e), ['status', 'viewers']);

    await hub.tick();
    assert.equal(db.calls.channels, 1, 'three pages, one query');
    assert.deepEqual(tabs[0]!.events.at(-1), ['viewers', { viewers: 3 }]);

    await hub.tick();
    const before = tabs[0]!.events.length;
    await hub.tick();
    assert.equal(tabs[0]!.events.length, before, 'nothing changed, nothing sent');

    const since = new Date('2026-01-01T10:00:00Z');
    db.set('alice', { isLive: true, liveSince: since, lastLiveAt: since });
    await hub.tick();
    const status = tabs[1]!.events.findLast(([e]) => e === 'status');
    assert.deepEqual(status?.[1], { isLive: true, liveSince: since.toISOString(), lastLiveAt: since.toISOString(), title: 'alice title', description: '', category: null });

    viewers[2]!.leave();
    db.set('alice', { isLive: false, liveSince: null });
    await hub.tick();
    assert.deepEqual(tabs[1]!.events.slice(-2).map(([e, d]) => [e, 'isLive' in d ? d.isLive : d.viewers]), [['status', false], ['viewers', 2]]);

    stops.forEach((stop) => stop());
    assert.equal(active(), 0, 'the loop stops with the last listener');
  });

  it('persists rising peaks of the open session and starts over on a new publish', async () => {
    const db = fakeSource([row('alice', { isLive: true, liveSince: new Date(1000) })]);
    const presence = new ViewerPresence({ clock: manualClock() });
    const hub = new LiveHub({ source: db.source, presence, clock: manualClock(), timers: fakeTimers().timers });
    hub.watchChannel(db.table.get('alice')!, () => {});
    const a = presence.join('alice');
    await hub.tick();
    const b = presence.join('alice');
    await hub.tick();
    b.leave();
    await hub.tick();
    assert.deepEqual(db.calls.peaks, [['alice', 1], ['alice', 2]]);
    db.set('alice', { liveSince: new Date(5000) });
    await hub.tick();
    assert.deepEqual(db.calls.peaks.at(-1), ['alice', 1]);
    a.leave();
  });

  it('keeps going when the database fails, and logs it', async () => {
    const db = fakeSource([row('alice')]);
    const logger = recordingLogger();
    let fail = true;
    const source: LiveDataSource = { ...db.source, channels: (ids) => (fail ? Promise.reject(new Error('locked')) : db.source.channels(ids)) };
    const hub = new LiveHub({ source, presence: new ViewerPresence({ clock: manualClock() }), clock: manualClock(), timers: fakeTimers().timers, logger });
    const tab = collect();
    hub.watchChannel(db.table.get('alice')!, tab.listener);
    await hub.tick();
    assert.deepEqual(logger.lines.map((l) => [l.level, l.event, l.fields.error]), [['error', 'live_poll_failed', 'locked']]);
    fail = false;
    db.set('alice', { isLive: true, liveSince: new Date(1) });
    await hub.tick();
    const lastStatus = tab.events.findLast(([e]) => e === 'status');
    assert.equal(lastStatus?.[0] === 'status' && lastStatus[1].isLive, true);
  });

  it('gives the directory live channels newest first with viewers, and recently live ones below', async () => {
    const clock = manualClock();
    const db = fakeSource([
      row('old', { isLive: true, liveSince: new Date(1_000) }),
      row('new', { isLive: true, liveSince: new Date(2_000) }),
      row('gone', { lastLiveAt: new Date(500) }),
      row('never'),
    ]);
    const presence = new ViewerPresence({ clock });
    const hub = new LiveHub({ source: db.source, presence, clock, timers: fakeTimers().timers });
    const snapshots: DirectorySnapshot[] = [];
    const stop = hub.watchDirectory((s) => snapshots.push(s));
    presence.join('old');
    await hub.tick();
    const last = snapshots.at(-1)!;
    assert.deepEqual(last.live.map((c) => [c.slug, c.viewers]), [['new', 0], ['old', 1]]);
    assert.deepEqual(last.recent.map((c) => c.slug), ['gone']);

    const count = snapshots.length;
    await hub.tick();
    assert.equal(snapshots.length, count, 'unchanged directory is not re-sent');
    const recentQueries = db.calls.recent;

    db.set('new', { isLive: false, liveSince: null, lastLiveAt: new Date(3_000) });
    await hub.tick();
    assert.deepEqual(snapshots.at(-1)!.live.map((c) => c.slug), ['old']);
    assert.deepEqual(snapshots.at(-1)!.recent.map((c) => c.slug), ['new', 'gone']);
    assert.equal(db.calls.recent, recentQueries + 1, 'recent list re-read when the live set changed');
    stop();
    assert.equal(hub.listening, false);
  });

  it('a directory page opened right after a poll gets that snapshot without a query of its own', async () => {
    const clock = manualClock(0);
    const db = fakeSource([row('alice', { isLive: true, liveSince: new Date(1) })]);
    const hub = new LiveHub({ source: db.source, presence: new ViewerPresence({ clock }), clock, timers: fakeTimers().timers });
    const first: DirectorySnapshot[] = [];
    hub.watchDirectory((s) => first.push(s));
    await hub.tick();
    const queries = db.calls.channels;
    const second: DirectorySnapshot[] = [];
    clock.advance(500);
    hub.watchDirectory((s) => second.push(s));
    assert.equal(db.calls.channels, queries);
    assert.deepEqual(second, [first.at(-1)]);
    clock.advance(5_000);
    const third: DirectorySnapshot[] = [];
    hub.watchDirectory((s) => third.push(s));
    await hub.tick();
    assert.equal(db.calls.channels, queries + 1, 'a stale snapshot is re-read');
    assert.equal(third.length, 1);
  });
});
