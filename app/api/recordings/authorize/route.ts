// nginx's auth_request for /recordings/ (nginx-rtmp mode, CONTRACT-15 item 5): 204 when the token in
// X-Original-URI is valid for that broadcast and not expired (X-OnAir-Max-Age: seconds until it
// expires, for nginx's Cache-Control), else 403. No database, no detail.
import { getEnv } from '@/lib/env';
import { authorizeRecordingUri } from '@/lib/recordings/signed-url';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  const uri = request.headers.get('x-original-uri') ?? '';
  const key = getEnv().MEDIA_SERVER_API_TOKEN ?? '';
  const maxAge = key === '' ? null : authorizeRecordingUri(key, uri, Math.floor(Date.now() / 1000));
  if (maxAge === null) return new Response(null, { status: 403, headers: { 'Cache-Control': 'no-store' } });
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store', 'X-OnAir-Max-Age': String(maxAge) } });
}
