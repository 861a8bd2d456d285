import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fanOut } from '../../src/streams/fan-out.js';
import { StatsCollector } from '../../src/streams/stats-collector.js';
import { StreamRegistry } from '../../src/streams/stream-registry.js';
import type { MediaMessage, StreamOutputs } from '../../src/media/types.js';

describe('stream registry', () => {
  it('gives a name to one publisher at a time, per app', () => {
    const registry = new StreamRegistry();
    const release = registry.claim('live', ['key', 'alice']);
    assert.ok(release);
    assert.equal(registry.claim('live', ['alice']), null);
    assert.equal(registry.claim('live', ['other', 'key']), null);
    assert.ok(registry.claim('other-app', ['key']));
    release();
    release();
    assert.ok(registry.claim('live', ['alice']));
  });
});

describe('fan-out', () => {
  it('feeds every output, and a throwing output loses only itself', () => {
    const written: MediaMessage[] = [];
    const errors: unknown[] = [];
    const good: StreamOutputs = { open: () => ({ write: (m) => written.push(m), end: () => undefined }) };
    const bad: StreamOutputs = {
      open: () => ({
        write: () => {
          throw new Error('boom');
        },
        end: () => undefined,
      }),
    };
    const stats = new StatsCollector();
    const sink = fanOut([bad, good, stats], (e) => errors.push(e)).open({ app: 'live', name: 'x', publishedAt: new Date() });
    sink.write({ type: 'audio', timestamp: 0, data: new Uint8Array(1) });
    sink.write({ type: 'audio', timestamp: 1, data: new Uint8Array(1) });
    assert.equal(written.length, 2);
    assert.equal(errors.length, 1);
    assert.equal(stats.list()[0]?.audioFrames, 2);
    sink.end('unpublish');
    assert.deepEqual(stats.list(), []);
  });

  it('passes flush to the outputs that have one, and a throwing flush loses only its output', () => {
    const calls: string[] = [];
    const errors: unknown[] = [];
    const batching = (name: string, fail = false): StreamOutputs => ({
      open: () => ({
        write: () => calls.push(`${name} write`),
        flush: () => {
          calls.push(`${name} flush`);
          if (fail) throw new Error('boom');
        },
        end: () => undefined,
      }),
    });
    const plain: StreamOutputs = { open: () => ({ write: () => calls.push('plain write'), end: () => undefined }) };
    const sink = fanOut([batching('bad', true), plain, batching('good')], (e) => errors.push(e)).open({ app: 'live', name: 'x', publishedAt: new Date() });
    sink.write({ type: 'audio', timestamp: 0, data: new Uint8Array(1) });
    sink.flush?.();
    sink.write({ type: 'audio', timestamp: 1, data: new Uint8Array(1) });
    sink.flush?.();
    assert.deepEqual(calls, ['bad write', 'plain write', 'good write', 'bad flush', 'good flush', 'plain write', 'good write', 'good flush']);
    assert.equal(errors.length, 1);
  });
});
