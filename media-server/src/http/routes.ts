// The media server's own HTTP routes. Thin: each answers from a function it is given.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveStreamInfo } from '../streams/stats-collector.js';

export interface RouteDeps {
  readonly listStreams: () => LiveStreamInfo[];
  readonly startedAt: Date;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : text);
}

/** Handles /healthz and /api/*; returns false for any other path. */
export function handleRoute(req: IncomingMessage, res: ServerResponse, path: string, deps: RouteDeps): boolean {
  const isApi = path === '/healthz' || path === '/api' || path.startsWith('/api/');
  if (!isApi) return false;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'method not allowed' });
    return true;
  }
  const head = method === 'HEAD';
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) }, head);
  } else if (path === '/api/streams') {
    sendJson(res, 200, { streams: deps.listStreams() }, head);
  } else {
    sendJson(res, 404, { error: 'not found' }, head);
  }
  return true;
}
