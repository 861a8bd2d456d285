// GET|HEAD|OPTIONS /recordings/<exp>.<sig>/<app>/<name>/<broadcastId>/<file> on the HLS port:
// finished (and in-progress) recordings from --record-dir, for whoever holds a URL the web app
// signed (signed-path.ts). Thin: check the path and token, find the file, hand it to the same
// sender as file-served live segments (Range, CORS, the shared read budget, bounded steps).
// Every refusal is a bare 403, whatever the reason, so nothing is learnt from probing.

import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage as HttpRequest, ServerResponse as HttpResponse } from 'node:http';
import type { HttpHandler, RequestInfo } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { ReadBudget } from '../hls/read-budget.js';
import { fixedHeaders, playlistContentType, sendError, sendPreflight, sendStoredBytes } from '../hls/routes.js';
import { checkRecordingToken, isRecordingsPath, parseRecordingPath } from './signed-path.js';

export interface RecordingsHandlerOptions {
  /** --record-dir; absent: every request is refused. */
  readonly recordDir: string | undefined;
  /** --api-token, the signing key; absent: every request is refused. */
  readonly apiToken: string | undefined;
  /** Shared with the live segments served from files. */
  readonly readBudget: ReadBudget;
  readonly logger: Logger;
  /** Wall clock, ms (default Date.now). */
  readonly now?: () => number;
}

function contentTypeOf(file: string): string {
  return file.endsWith('.m3u8') ? playlistContentType : 'video/mp4';
}

export function createRecordingsHandler(options: RecordingsHandlerOptions): HttpHandler {
  const now = options.now ?? Date.now;
  const { recordDir, apiToken } = options;

  async function serve(path: string, req: HttpRequest, res: HttpResponse): Promise<void> {
    const forbidden = () => sendError(req, res, 403, 'forbidden');
    const parsed = parseRecordingPath(path);
    if (!parsed || recordDir === undefined || apiToken === undefined) return forbidden();
    const nowSeconds = Math.floor(now() / 1000);
    if (checkRecordingToken(apiToken, parsed, nowSeconds) !== 'ok') return forbidden();
    const file = join(recordDir, parsed.app, parsed.name, parsed.broadcastId, parsed.file);
    let size: number;
    try {
      // lstat: a symbolic link planted in the folder is not followed out of it.
      const stats = await lstat(file);
      if (!stats.isFile()) return sendError(req, res, 404, 'not found');
      size = stats.size;
    } catch {
      return sendError(req, res, 404, 'not found');
    }
    const cache = `private, max-age=${parsed.expires - nowSeconds}`;
    await sendStoredBytes(req, res, { kind: 'file', path: file, offset: 0, size }, fixedHeaders(contentTypeOf(parsed.file), cache), cache, options.readBudget);
  }

  function handle(req: HttpRequest, res: HttpResponse, info: RequestInfo): boolean {
    const path = info.target.path;
    if (!isRecordingsPath(path)) return false;
    if (req.method === 'OPTIONS') {
      sendPreflight(res);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(req, res, 405, `method ${req.method} not allowed`, ['Allow', 'GET, HEAD, OPTIONS']);
      return true;
    }
    serve(path, req, res).catch((error: unknown) => {
      options.logger.error('recording request failed', { error: error instanceof Error ? error.message : String(error) });
      sendError(req, res, 500, 'internal error');
    });
    return true;
  }

  return { handle };
}
