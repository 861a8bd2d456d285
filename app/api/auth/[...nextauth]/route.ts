// next-auth's endpoints (/api/auth/session, /csrf, /signin/<provider>, /callback/<provider>, ...).
// Credential sign-ins posted here are rate limited per IP like the sign-in form (answering 429).
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { getAuthOptions } from '@/lib/auth';
import { clientIp } from '@/lib/client-ip';
import { AppError, toResponse } from '@/lib/errors';
import { authRateLimiters, rateLimitMessage } from '@/lib/rate-limit';

export const dynamic = 'force-dynamic';

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

function handle(request: NextRequest, context: RouteContext): Promise<Response> {
  return NextAuth(request, context, getAuthOptions()) as Promise<Response>;
}

export function GET(request: NextRequest, context: RouteContext): Promise<Response> {
  return handle(request, context);
}

export async function POST(request: NextRequest, context: RouteContext): Promise<Response> {
  const { nextauth } = await context.params;
  if (nextauth[0] === 'callback' && nextauth[1] === 'credentials') {
    const limit = authRateLimiters().signIn.consume(`ip:${clientIp(request.headers)}`);
    if (!limit.ok) {
      return toResponse(
        new AppError('rate_limited', rateLimitMessage('sign-in', limit.retryAfterMs), { retryAfterSeconds: Math.ceil(limit.retryAfterMs / 1000) }),
      );
    }
  }
  return handle(request, context);
}
