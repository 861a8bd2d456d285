'use client';

import { useCallback, useMemo, useReducer } from 'react';
import type { LiveHandlers } from '@/app/_components/live/use-live-events';
import type { ChatMessageView } from '@/lib/live/types';
import { initialChatLog, reduceChatLog, type ChatLogState } from './chat-log-state';

export interface ChatRoom {
  readonly log: ChatLogState;
  /** The chat events' handlers, for the page's one useLiveEvents (a page never opens a second stream). */
  readonly handlers: LiveHandlers;
  /** Shows the sender's own message at once, from the POST's answer (the stream's copy merges by id). */
  readonly addOwn: (message: ChatMessageView) => void;
  /** Removes a message a moderator just deleted, before the stream's `chat-delete` arrives. */
  readonly remove: (id: string) => void;
}

export function useChatRoom(): ChatRoom {
  const [log, dispatch] = useReducer(reduceChatLog, initialChatLog);
  const handlers = useMemo<LiveHandlers>(
    () => ({
      'chat-history': ({ messages, room }) => dispatch({ type: 'history', messages, room }),
      'chat-message': (message) => dispatch({ type: 'message', message }),
      'chat-delete': ({ ids }) => dispatch({ type: 'delete', ids }),
      'chat-room': (room) => dispatch({ type: 'room', room }),
    }),
    [],
  );
  const addOwn = useCallback((message: ChatMessageView) => dispatch({ type: 'message', message }), []);
  const remove = useCallback((id: string) => dispatch({ type: 'delete', ids: [id] }), []);
  return { log, handlers, addOwn, remove };
}
