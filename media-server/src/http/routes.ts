// The media server's own HTTP routes. Thin: each answers from a function it is given.
import type { LiveStreamInfo } from '../streams/stats-collector.js';
import type { HttpRequest, HttpResponse } from './exchange.js';

export interface RouteDeps {
  readonly listStreams: () => LiveStreamInfo[];
  readonly startedAt: Date;
}

/** `extra` is a flat [name, value, ...] list (e.g. `Allow` on a 405). */
export function sendJson(req: HttpRequest, res: HttpResponse, status: number, body: unknown, extra: readonly string[] = []): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(bytes.length), 'Cache-Control', 'no-store', ...extra]);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Handles /healthz and /api/*; returns false for any other path. */
export function handleRoute(req: HttpRequest, res: HttpResponse, path: string, deps: RouteDeps): boolean {
  const isApi = path === '/healthz' || path === '/api' || path.startsWith('/api/');
  if (!isApi) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(req, res, 405, { error: 'method not allowed' }, ['Allow', 'GET, HEAD']);
    return true;
  }
  if (path === '/healthz') {
    sendJson(req, res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) });
  } else if (path === '/api/streams') {
    sendJson(req, res, 200, { streams: deps.listStreams() });
  } else {
    sendJson(req, res, 404, { error: 'not found' });
  }
  return true;
}
