// The chat log a page holds: history replaces it, messages from the stream and from the sender's own
// POST answer merge into one list ordered by the server's ids, deletions remove. Pure, so the merge
// rules are tested without a browser (test/app/_components/chat/chat-log-state.test.ts).
import type { ChatMessageView, ChatRoomState } from '@/lib/live/types';

/** Messages a page keeps; older ones scroll away for good, so a long evening cannot grow the tab. */
export const MAX_LOG_MESSAGES = 200;
/** Deleted ids remembered, so a POST answer or a late replay cannot bring a deleted message back. */
const MAX_REMEMBERED_DELETIONS = 500;

export interface ChatLogState {
  readonly messages: readonly ChatMessageView[];
  /** Null until the stream's first `chat-history` or `chat-room`. */
  readonly room: ChatRoomState | null;
  /** Set once the first history arrived: before that the log says it is connecting. */
  readonly loaded: boolean;
  readonly deleted: readonly string[];
}

export type ChatLogAction =
  | { type: 'history'; messages: readonly ChatMessageView[]; room: ChatRoomState }
  | { type: 'message'; message: ChatMessageView }
  | { type: 'delete'; ids: readonly string[] }
  | { type: 'room'; room: ChatRoomState };

export const initialChatLog: ChatLogState = { messages: [], room: null, loaded: false, deleted: [] };

/** Orders two ids (decimal strings of integers without leading zeros) without parsing them. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function reduceChatLog(state: ChatLogState, action: ChatLogAction): ChatLogState {
  switch (action.type) {
    case 'history':
      return { ...state, loaded: true, room: action.room, messages: keepNewest([...action.messages].sort((a, b) => compareIds(a.id, b.id))) };
    case 'room':
      return { ...state, room: action.room };
    case 'message': {
      if (state.deleted.includes(action.message.id)) return state;
      const messages = insertById(state.messages, action.message);
      return messages === state.messages ? state : { ...state, messages: keepNewest(messages) };
    }
    case 'delete': {
      const ids = new Set(action.ids);
      const messages = state.messages.filter((message) => !ids.has(message.id));
      return { ...state, messages, deleted: [...state.deleted, ...action.ids].slice(-MAX_REMEMBERED_DELETIONS) };
    }
  }
}

/** The list with `message` at its place by id; the same list when that id is already there. */
function insertById(messages: readonly ChatMessageView[], message: ChatMessageView): readonly ChatMessageView[] {
  // Almost every message is the newest: check the end first.
  const last = messages.at(-1);
  if (!last || compareIds(last.id, message.id) < 0) return [...messages, message];
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const current = messages[middle];
    if (current && compareIds(current.id, message.id) < 0) low = middle + 1;
    else high = middle;
  }
  if (messages[low]?.id === message.id) return messages;
  return [...messages.slice(0, low), message, ...messages.slice(low)];
}

function keepNewest(messages: readonly ChatMessageView[]): readonly ChatMessageView[] {
  return messages.length > MAX_LOG_MESSAGES ? messages.slice(-MAX_LOG_MESSAGES) : messages;
}
