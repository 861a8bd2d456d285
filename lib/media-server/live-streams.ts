// Client for the bundled media server's live stream list, `GET /api/streams` (MEDIA_SERVER_API_URL,
// default http://127.0.0.1:${MEDIA_HTTP_PORT:-8935}/api/streams). Used to reconcile channels left
// "live" by a lost on_publish_done, and by the dashboard for stream details.
// Accepted shapes: `[{ app, name, ... }]` or `{ streams: [{ app, name, ... }] }`; extra fields are kept.

import { errorMessage } from '../logger';
import { readBoundedBody } from '../read-bounded-body';

export interface LiveStreamInfo {
  app: string;
  name: string;
  /** Every field the media server sent for this stream (bitrate, codecs, viewers...). */
  details: Record<string, unknown>;
}

export class MediaServerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaServerError';
  }
}

/** Largest response read: 1 MiB is thousands of streams. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_STREAMS = 10_000;

export function parseLiveStreams(json: unknown): LiveStreamInfo[] {
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && 'streams' in json && Array.isArray(json.streams)
      ? (json.streams as unknown[])
      : null;
  if (list === null) throw new MediaServerError('stream list is neither an array nor { streams: [...] }');
  if (list.length > MAX_STREAMS) throw new MediaServerError(`stream list longer than ${MAX_STREAMS}`);
  return list.map((item, index) => {
    if (typeof item !== 'object' || item === null) throw new MediaServerError(`stream #${index} is not an object`);
    const details = item as Record<string, unknown>;
    const { app, name } = details;
    if (typeof app !== 'string' || typeof name !== 'string') {
      throw new MediaServerError(`stream #${index} lacks string "app" and "name"`);
    }
    return { app, name, details };
  });
}

export interface FetchLiveStreamsOptions {
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** MEDIA_SERVER_API_TOKEN, sent as `Authorization: Bearer` (the media server's /api/ answers 401 without it). */
  token?: string | undefined;
}

/** Request headers for the media server's private API: the bearer token when one is configured. */
export function mediaServerApiHeaders(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/** The media server's live streams; throws MediaServerError when it cannot be asked (fail visible, not "nobody is live"). */
export async function fetchLiveStreams(url: string, { timeoutMs = 2000, fetchImpl = fetch, token }: FetchLiveStreamsOptions = {}): Promise<LiveStreamInfo[]> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), headers: mediaServerApiHeaders(token, { accept: 'application/json' }) });
  } catch (error) {
    throw new MediaServerError(`media server at ${url} did not answer: ${errorMessage(error)}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new MediaServerError(`media server at ${url} answered ${response.status}`);
  }
  const text = await readBoundedBody(response.body, MAX_RESPONSE_BYTES);
  if (text === null) throw new MediaServerError(`stream list larger than ${MAX_RESPONSE_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MediaServerError(`media server at ${url} sent invalid JSON`, { cause: error });
  }
  return parseLiveStreams(json);
}
