// GET /api/channels/events — the directory's live connection (text/event-stream): a `directory`
// snapshot (live channels with viewer counts, recently live channels) whenever it changes.
// Directory visitors are not viewers of any channel.
import { directoryEventStream } from '@/lib/live/event-stream';
import { getLiveRuntime } from '@/lib/live/runtime';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

export const GET = withErrorResponse((request: Request) => directoryEventStream({ hub: getLiveRuntime().hub, signal: request.signal }));
