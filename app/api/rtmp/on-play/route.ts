// Media server callback (nginx-rtmp notify form; the bundled media server sends the same).
// Authenticated by `?secret=` (RTMP_CALLBACK_SECRET); all logic is in lib/rtmp-callbacks.
import { withErrorResponse } from '@/lib/route-handler';
import { callbackContext } from '@/lib/rtmp-callbacks/context';
import { handleCallback } from '@/lib/rtmp-callbacks/handle-callback';
import { toWebResponse } from '@/lib/rtmp-callbacks/respond';

export const dynamic = 'force-dynamic';

// on_play: a database failure must refuse (fail closed): the wrapper answers 500, which the media server treats as a refusal.
export const POST = withErrorResponse(async (request: Request) => toWebResponse(await handleCallback(request, callbackContext())));
