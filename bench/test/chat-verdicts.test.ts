import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchArgs, type BenchConfig } from '../lib/config.js';
import type { ChatPhaseResult, ChatRun } from '../lib/phases/chat.js';
import { chatVerdicts } from '../lib/report/chat-section.js';
import { distribution } from '../lib/stats.js';

function run(readers: number, p99: number, lost = 0, orderViolations = 0): ChatRun {
  const usage = { cpuPercent: 50, rssBytes: 200e6, peakRssBytes: 210e6, processes: 1 };
  return {
    readers,
    workers: Math.ceil(readers / 250),
    readyReaders: readers,
    joinSeconds: 3,
    appUsage: usage,
    readersCpuPercent: 40,
    machineBusyPercent: 80,
    delivery: { messages: 200, readers, delays: { delays: { ...distribution([10, 20]), p99 }, unmatched: 0 }, firstDelays: distribution([5]), lost, readersWithLoss: lost > 0 ? 1 : 0 },
    orderViolations,
    readersReporting: readers,
    readersNeverConnected: 0,
    silentReaders: 0,
    appDroppedReaders: 0,
    reconnects: 0,
    readerErrors: 0,
    sends: { attempted: 200, accepted: 200, statuses: { '201': 200 }, response: distribution([5]) },
  };
}

const phase = (...runs: ChatRun[]): ChatPhaseResult => ({
  measuredAt: '2026-12-04T00:00:00Z',
  config: { readers: runs.map((r) => r.readers), senders: 20, ratePerSecond: 10, joinTimeoutMs: 60_000, warmupMs: 10_000, windowMs: 20_000, graceMs: 5_000, readersPerWorker: 250, appEnv: {} },
  runs,
  errors: [],
});

describe('chat verdicts', () => {
  it('judges p99 at the largest reader count, only when it reaches 1000', () => {
    assert.equal(chatVerdicts(phase(run(100, 900), run(1000, 249))).p99Ok, true);
    assert.equal(chatVerdicts(phase(run(1000, 250))).p99Ok, false, 'the goal is under 250 ms');
    assert.equal(chatVerdicts(phase(run(500, 10))).p99Ok, undefined, 'not measured at 1000 readers');
  });

  it('fails both verdicts when a send of the window was not accepted (it reaches no reader)', () => {
    const refused = run(1000, 10);
    refused.sends = { ...refused.sends, accepted: 199, statuses: { '0': 1, '201': 199 } };
    const v = chatVerdicts(phase(refused));
    assert.equal(v.p99Ok, false);
    assert.equal(v.deliveryOk, false);
  });

  it('fails delivery on any lost or out-of-order message in any run', () => {
    assert.equal(chatVerdicts(phase(run(100, 10), run(1000, 10))).deliveryOk, true);
    assert.equal(chatVerdicts(phase(run(100, 10, 1), run(1000, 10))).deliveryOk, false);
    assert.equal(chatVerdicts(phase(run(1000, 10, 0, 3))).deliveryOk, false);
    assert.deepEqual(chatVerdicts(phase()), {});
  });
});

describe('--chat-readers', () => {
  it('sets the chat phase reader counts, within what one address may hold', () => {
    const config = parseBenchArgs(['--phases', 'chat', '--chat-readers', '100,1000']) as BenchConfig;
    assert.deepEqual(config.chat.readers, [100, 1000]);
    assert.deepEqual(config.phases, ['chat']);
    assert.throws(() => parseBenchArgs(['--chat-readers', '1001']), /1\.\.1000/);
    assert.throws(() => parseBenchArgs(['--chat-readers', 'many']), /1\.\.1000/);
  });
});
