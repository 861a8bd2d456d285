// The browser's side of the chat HTTP API (app/api/channels/<slug>/chat/...). Every call answers
// with an outcome instead of throwing, and a refusal carries the sentence the server wrote for a
// person to read, so the panel only has to show it.
import type { ChatMessageView } from '@/lib/live/types';

export type ChatRefusal = { readonly ok: false; readonly status: number; readonly message: string; readonly retryAfterSeconds: number | null };
export type ChatOutcome<T> = { readonly ok: true; readonly value: T } | ChatRefusal;

/** Said when the server's answer has no readable message (a proxy's error page, a dropped connection). */
const FALLBACK_MESSAGES: Readonly<Record<number, string>> = {
  401: 'Sign in to chat.',
  403: 'You may not do that in this chat.',
  404: 'That is gone already.',
  409: 'You just sent that.',
  413: 'That message is too long.',
  422: 'That message cannot be sent.',
  429: 'Slow down a little.',
};
/** Longest server message shown; anything longer is not meant for people. */
const MAX_MESSAGE_LENGTH = 300;

export async function refusalOf(response: Response): Promise<ChatRefusal> {
  let message: string | null = null;
  try {
    const body: unknown = await response.json();
    const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
    const text = typeof error === 'object' && error !== null && 'message' in error ? error.message : null;
    // zod's generic "invalid input" says nothing a person can act on.
    if (typeof text === 'string' && text.trim() !== '' && text !== 'invalid input' && text.length <= MAX_MESSAGE_LENGTH) message = text;
  } catch {
    message = null;
  }
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return {
    ok: false,
    status: response.status,
    message: message ?? FALLBACK_MESSAGES[response.status] ?? 'Something went wrong. Try again in a moment.',
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  };
}

const offline: ChatRefusal = { ok: false, status: 0, message: 'Could not reach the server. Check your connection.', retryAfterSeconds: null };

async function call<T>(url: string, init: RequestInit, read: (response: Response) => Promise<T>): Promise<ChatOutcome<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: 'same-origin', headers: init.body ? { 'Content-Type': 'application/json' } : undefined });
  } catch {
    return offline;
  }
  if (!response.ok) return refusalOf(response);
  return { ok: true, value: await read(response) };
}

const base = (slug: string) => `/api/channels/${encodeURIComponent(slug)}/chat`;
const nothing = async () => undefined;

export function sendChatMessage(slug: string, text: string): Promise<ChatOutcome<ChatMessageView>> {
  return call(`${base(slug)}/messages`, { method: 'POST', body: JSON.stringify({ text }) }, async (response) => {
    const body = (await response.json()) as { message: ChatMessageView };
    return body.message;
  });
}

export function deleteChatMessage(slug: string, id: string): Promise<ChatOutcome<void>> {
  return call(`${base(slug)}/messages/${encodeURIComponent(id)}`, { method: 'DELETE' }, nothing);
}

export function timeOutChatUser(slug: string, userId: string, minutes: number): Promise<ChatOutcome<void>> {
  return call(`${base(slug)}/timeouts`, { method: 'POST', body: JSON.stringify({ userId, minutes }) }, nothing);
}

export function banChatUser(slug: string, userId: string, purge: boolean): Promise<ChatOutcome<void>> {
  return call(`${base(slug)}/bans`, { method: 'POST', body: JSON.stringify({ userId, purge }) }, nothing);
}
