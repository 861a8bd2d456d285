import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isChatPopoutPath } from '../../../lib/channels/chat-popout-route';

describe('chat pop-out paths', () => {
  for (const [path, popout] of [
    ['/alice/chat', true],
    ['/alice/chat/', true],
    ['/alice', false],
    ['/alice/chat/x', false],
    ['/alice/embed', false],
    ['/Alice/chat', false],
    ['/a/b/chat', false],
    ['/api/channels/alice/chat', false],
  ] as const) {
    it(`${path} -> ${popout}`, () => assert.equal(isChatPopoutPath(path), popout));
  }
});
