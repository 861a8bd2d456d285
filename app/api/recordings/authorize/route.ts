// nginx's auth_request for /recordings/ (nginx-rtmp mode, CONTRACT-15 item 5): 204 when the token in
// X-Original-URI is valid for that broadcast and not expired, else 403. No database, no detail.
import { getEnv } from '@/lib/env';
import { authorizeRecordingUri } from '@/lib/recordings/signed-url';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  const uri = request.headers.get('x-original-uri') ?? '';
  const key = getEnv().MEDIA_SERVER_API_TOKEN ?? '';
  const ok = key !== '' && authorizeRecordingUri(key, uri, Math.floor(Date.now() / 1000));
  return new Response(null, { status: ok ? 204 : 403, headers: { 'Cache-Control': 'no-store' } });
}
