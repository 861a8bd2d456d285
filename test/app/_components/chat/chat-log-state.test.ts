import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareIds, initialChatLog, MAX_LOG_MESSAGES, reduceChatLog, type ChatLogAction, type ChatLogState } from '../../../../app/_components/chat/chat-log-state.js';
import type { ChatMessageView, ChatRoomState } from '../../../../lib/live/types.js';

const room: ChatRoomState = { mode: 'always', open: true, slowModeSeconds: 0, maxLength: 500 };
const message = (id: number | string): ChatMessageView => ({
  id: String(id),
  userId: 'u',
  name: 'Bob',
  username: 'bob',
  badges: [],
  text: `message ${id}`,
  at: '2026-12-04T18:00:00.000Z',
});

const run = (actions: ChatLogAction[], from: ChatLogState = initialChatLog) => actions.reduce(reduceChatLog, from);
const ids = (state: ChatLogState) => state.messages.map((m) => m.id);

describe('chat log', () => {
  it('orders ids as integers', () => {
    assert.deepEqual(['10', '9', '100', '11', '2'].sort(compareIds), ['2', '9', '10', '11', '100']);
    assert.equal(compareIds('42', '42'), 0);
  });

  it('starts empty and not loaded; history replaces the log and sets the room', () => {
    assert.equal(initialChatLog.loaded, false);
    const state = run([
      { type: 'message', message: message(1) },
      { type: 'history', messages: [message(3), message(2)], room },
    ]);
    assert.equal(state.loaded, true);
    assert.deepEqual(state.room, room);
    assert.deepEqual(ids(state), ['2', '3']);
  });

  const cases: Array<{ name: string; arrive: number[]; expect: string[] }> = [
    { name: 'in order', arrive: [1, 2, 3], expect: ['1', '2', '3'] },
    { name: 'own POST answer before the stream copy: no duplicate', arrive: [1, 2, 2, 3], expect: ['1', '2', '3'] },
    { name: 'own answer after later stream messages: put at its place', arrive: [1, 3, 4, 2], expect: ['1', '2', '3', '4'] },
    { name: 'late duplicate in the middle', arrive: [1, 2, 3, 2, 1], expect: ['1', '2', '3'] },
    { name: 'across a digit boundary', arrive: [9, 11, 10, 100], expect: ['9', '10', '11', '100'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(ids(run(c.arrive.map((id) => ({ type: 'message', message: message(id) })))), c.expect));
  }

  it('a duplicate leaves the state object as it was', () => {
    const state = run([{ type: 'message', message: message(1) }]);
    assert.equal(reduceChatLog(state, { type: 'message', message: message(1) }), state);
  });

  it('deletes for good: a later copy of a deleted message stays out', () => {
    const state = run([
      { type: 'history', messages: [message(1), message(2), message(3)], room },
      { type: 'delete', ids: ['2', '3', '77'] },
      { type: 'message', message: message(3) },
    ]);
    assert.deepEqual(ids(state), ['1']);
  });

  it('room updates keep the messages', () => {
    const closed: ChatRoomState = { ...room, open: false, mode: 'live' };
    const state = run([{ type: 'history', messages: [message(1)], room }, { type: 'room', room: closed }]);
    assert.deepEqual(state.room, closed);
    assert.deepEqual(ids(state), ['1']);
  });

  it(`keeps the newest ${MAX_LOG_MESSAGES} messages`, () => {
    const actions: ChatLogAction[] = Array.from({ length: MAX_LOG_MESSAGES + 25 }, (_, i) => ({ type: 'message', message: message(i + 1) }));
    const state = run(actions);
    assert.equal(state.messages.length, MAX_LOG_MESSAGES);
    assert.equal(state.messages[0]?.id, '26');
    assert.equal(state.messages.at(-1)?.id, String(MAX_LOG_MESSAGES + 25));
  });
});
