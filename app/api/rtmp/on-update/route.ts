// nginx-rtmp `on_update` heartbeat (every notify_update_timeout during a publish; any non-2xx
// answer drops the publisher). Authenticated by `?secret=` (RTMP_CALLBACK_SECRET); logic in lib/rtmp-callbacks.
import { consoleLogger, errorMessage } from '@/lib/logger';
import { callbackContext } from '@/lib/rtmp-callbacks/context';
import { handleCallback } from '@/lib/rtmp-callbacks/handle-callback';
import { toWebResponse } from '@/lib/rtmp-callbacks/respond';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    return toWebResponse(await handleCallback(request, callbackContext()));
  } catch (error) {
    // Unlike on_publish, a failure here must not fail closed: nginx-rtmp would drop every running
    // stream on a database hiccup. The publish goes on; a refusal needs a definite answer.
    consoleLogger.error('on_update_failed', { error: errorMessage(error) });
    return new Response('OK\n', { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
}
