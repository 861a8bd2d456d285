// Media server callback (nginx-rtmp notify form; the bundled media server sends the same).
// Authenticated by `?secret=` (RTMP_CALLBACK_SECRET); all logic is in lib/rtmp-callbacks.
import { toResponse } from '@/lib/errors';
import { callbackContext } from '@/lib/rtmp-callbacks/context';
import { handleCallback } from '@/lib/rtmp-callbacks/handle-callback';
import { toWebResponse } from '@/lib/rtmp-callbacks/respond';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    return toWebResponse(await handleCallback(request, callbackContext()));
  } catch (error) {
    // A database failure must deny (fail closed): toResponse answers 500, which nginx-rtmp treats as a refusal.
    return toResponse(error);
  }
}
