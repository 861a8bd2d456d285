import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InProcessChatBus, type ChatBusEvent } from '../../../lib/chat/bus';
import { PublishedEvent } from '../../../lib/live/published-event';

describe('in-process chat bus', () => {
  it('delivers per channel, in publish order, and forgets unsubscribed listeners', () => {
    const bus = new InProcessChatBus();
    const a: ChatBusEvent[] = [];
    const b: ChatBusEvent[] = [];
    const stopA = bus.subscribe('c1', (e) => a.push(e));
    bus.subscribe('c2', (e) => b.push(e));
    const e1 = new PublishedEvent('chat-delete', { ids: ['1'] }, 1);
    const e2 = new PublishedEvent('chat-delete', { ids: ['2'] }, 2);
    bus.publish('c1', e1);
    bus.publish('c1', e2);
    assert.deepEqual(a, [e1, e2]);
    assert.deepEqual(b, []);
    stopA();
    stopA();
    bus.publish('c1', e1);
    assert.equal(a.length, 2);
    assert.equal(bus.listenerCount('c1'), 0);
  });

  it('a listener may unsubscribe while being called', () => {
    const bus = new InProcessChatBus();
    const calls: string[] = [];
    const stop = bus.subscribe('c', () => {
      calls.push('first');
      stop();
    });
    bus.subscribe('c', () => calls.push('second'));
    bus.publish('c', new PublishedEvent('chat-delete', { ids: [] }, 1));
    bus.publish('c', new PublishedEvent('chat-delete', { ids: [] }, 2));
    assert.deepEqual(calls, ['first', 'second', 'second']);
  });

  it('a published event is encoded once, with its id line, and the bytes are shared', () => {
    const event = new PublishedEvent('chat-delete', { ids: ['7'] }, 7);
    assert.equal(event.bytes, event.bytes);
    assert.equal(new TextDecoder().decode(event.bytes), 'id: 7\nevent: chat-delete\ndata: {"ids":["7"]}\n\n');
    assert.equal(new TextDecoder().decode(new PublishedEvent('chat-room', { mode: 'off', open: false, slowModeSeconds: 0, maxLength: 5 }).bytes), 'event: chat-room\ndata: {"mode":"off","open":false,"slowModeSeconds":0,"maxLength":5}\n\n');
  });
});
