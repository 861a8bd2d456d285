// Which requests are the chat pop-out (`/<slug>/chat`), for proxy.ts and the root layout: the
// pop-out fills an OBS dock or a small window, so it renders without the site header.

/** Set by proxy.ts on requests for `/<slug>/chat` only; a client's own copy is always removed first. */
export const CHAT_POPOUT_PAGE_HEADER = 'x-onair-chat-popout';

const CHAT_POPOUT_PATH = /^\/[a-z0-9_]{1,64}\/chat\/?$/;

export function isChatPopoutPath(pathname: string): boolean {
  return CHAT_POPOUT_PATH.test(pathname);
}
