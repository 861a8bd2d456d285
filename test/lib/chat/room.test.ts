import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHAT_MAX_LENGTH } from '../../../lib/chat/limits';
import { RoomTracker } from '../../../lib/chat/reader';
import { chatRoomState, parseChatMode } from '../../../lib/chat/room';

describe('chat room', () => {
  it('open: always; live only while live; never when off', () => {
    for (const isLive of [false, true]) {
      assert.equal(chatRoomState({ mode: 'always', slowModeSeconds: 0 }, isLive).open, true);
      assert.equal(chatRoomState({ mode: 'live', slowModeSeconds: 0 }, isLive).open, isLive);
      assert.equal(chatRoomState({ mode: 'off', slowModeSeconds: 0 }, isLive).open, false);
    }
    assert.deepEqual(chatRoomState({ mode: 'live', slowModeSeconds: 5 }, true), { mode: 'live', open: true, slowModeSeconds: 5, maxLength: CHAT_MAX_LENGTH });
  });

  it('an unknown stored mode closes the chat', () => {
    assert.equal(parseChatMode('always'), 'always');
    assert.equal(parseChatMode('sometimes'), 'off');
  });

  it('a reader is told the room state once per change (live status or settings)', () => {
    const room = new RoomTracker({ mode: 'live', slowModeSeconds: 0 }, false);
    assert.equal(room.take()?.open, false);
    assert.equal(room.take(), null, 'unchanged');
    room.setLive(true);
    assert.equal(room.take()?.open, true);
    room.setLive(true);
    assert.equal(room.take(), null);
    room.setSettings({ mode: 'live', slowModeSeconds: 10 });
    assert.equal(room.take()?.slowModeSeconds, 10);
    room.setSettings({ mode: 'always', slowModeSeconds: 10 });
    room.setLive(false);
    assert.deepEqual(room.take(), { mode: 'always', open: true, slowModeSeconds: 10, maxLength: CHAT_MAX_LENGTH });
  });
});
