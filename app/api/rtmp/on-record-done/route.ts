// Media server callback: a recording finished (nginx-rtmp's record_done form; the bundled media
// server sends the same). Authenticated by `?secret=`; all logic is in lib/recordings/record-done.ts.
import { handleRecordDone } from '@/lib/recordings/record-done';
import { recordDoneContext } from '@/lib/recordings/runtime';
import { withErrorResponse } from '@/lib/route-handler';
import { toWebResponse } from '@/lib/rtmp-callbacks/respond';

export const dynamic = 'force-dynamic';

// A failure answers 500: the media server retries later, and the files stay where they are.
export const POST = withErrorResponse(async (request: Request) => toWebResponse(await handleRecordDone(request, recordDoneContext())));
