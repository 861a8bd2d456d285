// next-auth's endpoints (/api/auth/session, /csrf, /signin/<provider>, /callback/<provider>, ...).
// Credential sign-ins posted here are rate limited per client address and per username like the
// sign-in form (answering 429); other sign-in POSTs (OAuth starts and callbacks) per address.
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { getAuthOptions } from '@/lib/auth';
import { clientKey } from '@/lib/client-address';
import { AppError, toResponse } from '@/lib/errors';
import { authRateLimiters, consumeSignIn, rateLimitMessage, type RateLimitResult, type RateLimitScope } from '@/lib/rate-limit';
import { readBoundedBody } from '@/lib/read-bounded-body';

export const dynamic = 'force-dynamic';

/** A sign-in form post is a few hundred bytes; anything far larger is not one. */
const MAX_SIGN_IN_BODY = 8 * 1024;

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

function handle(request: NextRequest, context: RouteContext): Promise<Response> {
  return NextAuth(request, context, getAuthOptions()) as Promise<Response>;
}

function tooMany(limit: RateLimitResult, scope: RateLimitScope): Response {
  return toResponse(
    new AppError('rate_limited', rateLimitMessage('sign-in', limit.retryAfterMs, scope), { retryAfterSeconds: Math.ceil(limit.retryAfterMs / 1000) }),
  );
}

/** The username field the way next-auth will read it (JSON or a form post). */
function postedUsername(contentType: string, text: string): string {
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const value = parsed !== null && typeof parsed === 'object' && 'username' in parsed ? parsed.username : undefined;
      return typeof value === 'string' ? value : '';
    } catch {
      return ''; // next-auth will refuse the same body
    }
  }
  return new URLSearchParams(text).get('username') ?? '';
}

export function GET(request: NextRequest, context: RouteContext): Promise<Response> {
  return handle(request, context);
}

export async function POST(request: NextRequest, context: RouteContext): Promise<Response> {
  const { nextauth } = await context.params;
  const [action, provider] = nextauth;
  if (action === 'callback' && provider === 'credentials') {
    // Read a copy: next-auth reads the original body itself.
    const text = await readBoundedBody(request.clone().body, MAX_SIGN_IN_BODY);
    if (text === null) return toResponse(new AppError('payload_too_large', 'Request body too large.'));
    const username = postedUsername(request.headers.get('content-type') ?? '', text);
    const limit = consumeSignIn(authRateLimiters(), { clientKey: clientKey(request.headers), username });
    if (!limit.ok) return tooMany(limit, limit.scope);
  } else if (action === 'signin' || action === 'callback') {
    const limit = authRateLimiters().signInByAddress.consume(`ip:${clientKey(request.headers)}`);
    if (!limit.ok) return tooMany(limit, 'address');
  }
  return handle(request, context);
}
