// Frame protection for every page, decided per request: `/<slug>/embed` may be framed by the
// sites its streamer allows (Content-Security-Policy frame-ancestors from the channel's setting);
// nothing else may be framed at all. The embed request is marked for the root layout, which then
// renders the player alone, with no site header and so no session lookup. The chat pop-out is
// marked too (no site header), and is framed by nobody like every other page.
import { NextResponse, type NextRequest } from 'next/server';
import { CHAT_POPOUT_PAGE_HEADER, isChatPopoutPath } from '@/lib/channels/chat-popout-route';
import { frameAncestors } from '@/lib/channels/embed-policy';
import { EMBED_PAGE_HEADER, NO_FRAMING_HEADERS, embedSlugOf } from '@/lib/channels/embed-route';
import { findEmbedPolicy } from '@/lib/channels/embed-settings';
import { getDb } from '@/lib/db';

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const slug = embedSlugOf(request.nextUrl.pathname);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(EMBED_PAGE_HEADER);
  requestHeaders.delete(CHAT_POPOUT_PAGE_HEADER);
  if (isChatPopoutPath(request.nextUrl.pathname)) requestHeaders.set(CHAT_POPOUT_PAGE_HEADER, '1');
  if (slug === null) {
    const response = NextResponse.next({ request: { headers: requestHeaders } });
    for (const [name, value] of Object.entries(NO_FRAMING_HEADERS)) response.headers.set(name, value);
    return response;
  }
  requestHeaders.set(EMBED_PAGE_HEADER, '1');
  const policy = await findEmbedPolicy(getDb(), slug);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', `frame-ancestors ${frameAncestors(policy)}`);
  return response;
}

export const config = {
  // Pages only: static assets, images and API routes are never framed as documents.
  matcher: ['/((?!_next/|api/|favicon\\.ico).*)'],
};
