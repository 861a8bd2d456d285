// A channel's chat room state, from its settings and whether it is on air.
import type { ChatMode, ChatRoomState } from '../live/types';
import { CHAT_MAX_LENGTH } from './limits';

export const CHAT_MODES: readonly ChatMode[] = ['always', 'live', 'off'];

export function parseChatMode(value: string): ChatMode {
  // An unknown stored value closes the chat rather than opening it.
  return (CHAT_MODES as readonly string[]).includes(value) ? (value as ChatMode) : 'off';
}

export interface ChatRoomSettings {
  readonly mode: ChatMode;
  readonly slowModeSeconds: number;
}

export function chatRoomState(settings: ChatRoomSettings, isLive: boolean): ChatRoomState {
  const open = settings.mode === 'always' || (settings.mode === 'live' && isLive);
  return { mode: settings.mode, open, slowModeSeconds: settings.slowModeSeconds, maxLength: CHAT_MAX_LENGTH };
}

export function closedMessage(mode: ChatMode): string {
  return mode === 'live' ? 'Chat opens when the stream is live.' : 'Chat is turned off for this channel.';
}
