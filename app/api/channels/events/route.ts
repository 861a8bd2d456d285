// GET /api/channels/events — the directory's live connection (text/event-stream): a `directory`
// snapshot (live channels with viewer counts, recently live channels) whenever it changes.
// Directory visitors are not viewers of any channel.
import { toResponse } from '@/lib/errors';
import { directoryEventStream } from '@/lib/live/event-stream';
import { getLiveRuntime } from '@/lib/live/runtime';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  try {
    return directoryEventStream({ hub: getLiveRuntime().hub, signal: request.signal });
  } catch (error) {
    return toResponse(error);
  }
}
