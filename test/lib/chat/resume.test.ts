import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHAT_RESUME_MAX } from '../../../lib/chat/limits';
import { parseLastEventId, ReplayFence, resumeKind } from '../../../lib/chat/resume';

describe('chat resume planning', () => {
  const ids: { header: string | null; id: number | null }[] = [
    { header: null, id: null },
    { header: '', id: null },
    { header: '42', id: 42 },
    { header: ' 42 ', id: 42 },
    { header: '0', id: 0 },
    { header: '-1', id: null },
    { header: '4.2', id: null },
    { header: 'abc', id: null },
    { header: '1e3', id: null },
    { header: '9'.repeat(16), id: null },
  ];
  for (const c of ids) it(`Last-Event-ID ${JSON.stringify(c.header)} -> ${c.id}`, () => assert.equal(parseLastEventId(c.header), c.id));

  it('replays up to CHAT_RESUME_MAX missed events, history beyond or without an id', () => {
    assert.equal(resumeKind(null, 0), 'history');
    assert.equal(resumeKind(10, 0), 'replay');
    assert.equal(resumeKind(10, CHAT_RESUME_MAX), 'replay');
    assert.equal(resumeKind(10, CHAT_RESUME_MAX + 1), 'history');
  });

  it('the fence passes each id once, in increasing order, after the replayed ones', () => {
    const fence = new ReplayFence(5);
    const seen = [3, 5, 6, 6, 7, 4, 9].filter((id) => fence.admit(id));
    assert.deepEqual(seen, [6, 7, 9]);
    assert.equal(fence.last, 9);
  });
});
