import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reduceChannelState, type ChannelState, type Stage } from '../../../app/[slug]/channel-state.js';
import type { ChannelStatus } from '../../../lib/live/types.js';

const offline: ChannelStatus = { isLive: false, liveSince: null, lastLiveAt: null, title: 't', description: '', category: null };
const live = (since: string): ChannelStatus => ({ ...offline, isLive: true, liveSince: since, lastLiveAt: since });

function run(initial: ChannelStatus, statuses: ChannelStatus[]): Stage[] {
  let state: ChannelState = { status: initial, viewers: 0, stage: initial.isLive ? 'live' : 'offline' };
  const stages: Stage[] = [state.stage];
  for (const status of statuses) {
    state = reduceChannelState(state, { type: 'status', status });
    stages.push(state.stage);
  }
  return stages;
}

describe('channel page stage', () => {
  const cases: Array<{ name: string; initial: ChannelStatus; statuses: ChannelStatus[]; stages: Stage[] }> = [
    { name: 'offline stays offline', initial: offline, statuses: [offline], stages: ['offline', 'offline'] },
    { name: 'goes live, then ends', initial: offline, statuses: [live('a'), offline], stages: ['offline', 'live', 'ended'] },
    { name: 'opened while live, then ends', initial: live('a'), statuses: [offline], stages: ['live', 'ended'] },
    { name: 'ended, then live again', initial: live('a'), statuses: [offline, offline, live('b'), offline], stages: ['live', 'ended', 'ended', 'live', 'ended'] },
    { name: 'a new session while live stays live', initial: live('a'), statuses: [live('b')], stages: ['live', 'live'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(run(c.initial, c.statuses), c.stages));

  it('viewer counts change nothing else', () => {
    const state: ChannelState = { status: offline, viewers: 0, stage: 'ended' };
    assert.deepEqual(reduceChannelState(state, { type: 'viewers', viewers: 3 }), { ...state, viewers: 3 });
  });
});
