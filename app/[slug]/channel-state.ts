// The channel page's state machine: what the stage shows as status events arrive. Pure, so the
// transitions are tested without a browser (test/app/[slug]/channel-state.test.ts).
import type { ChannelStatus } from '@/lib/live/types';

/** What the stage shows: the player, the offline slate, or "stream ended" after watching it end. */
export type Stage = 'live' | 'offline' | 'ended';

export interface ChannelState {
  status: ChannelStatus;
  viewers: number;
  stage: Stage;
}

export type ChannelAction = { type: 'status'; status: ChannelStatus } | { type: 'viewers'; viewers: number };

export function reduceChannelState(state: ChannelState, action: ChannelAction): ChannelState {
  switch (action.type) {
    case 'viewers':
      return { ...state, viewers: action.viewers };
    case 'status': {
      const { status } = action;
      if (status.isLive) return { ...state, status, stage: 'live' };
      // Offline after having been live on this page: the viewer just watched it end.
      return { ...state, status, stage: state.stage === 'live' || state.stage === 'ended' ? 'ended' : 'offline' };
    }
  }
}
