// The media server's own HTTP routes: the public /healthz, and the private control API under
// /api/, which answers only `Authorization: Bearer <MEDIA_SERVER_API_TOKEN>` (it lists publisher
// addresses and can end streams). Thin: each answers from a function it is given.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveStreamInfo } from '../streams/stats-collector.js';

export interface RouteDeps {
  readonly listStreams: () => LiveStreamInfo[];
  readonly startedAt: Date;
  /** The bearer check for /api/ (bearer-token.ts); absent: the API is off, every /api/ request is a 401. */
  readonly authorizeApi?: (authorization: string | undefined) => boolean;
  /** Ends the live publish of app/name; resolves false when there is none. */
  readonly kick?: (app: string, name: string) => Promise<boolean>;
}

/** `extra` is a flat [name, value, ...] list (e.g. `Allow` on a 405). */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, extra: readonly string[] = []): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(bytes.length), 'Cache-Control', 'no-store', ...extra]);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

const kickPattern = /^\/api\/streams\/([^/]{1,200})\/([^/]{1,200})\/kick$/;

function decode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

/** Handles /healthz and /api/*; returns false for any other path. */
export function handleRoute(req: IncomingMessage, res: ServerResponse, path: string, deps: RouteDeps): boolean {
  if (path === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') sendJson(req, res, 405, { error: 'method not allowed' }, ['Allow', 'GET, HEAD']);
    else sendJson(req, res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) });
    return true;
  }
  if (path !== '/api' && !path.startsWith('/api/')) return false;
  // Before anything else, so that nothing about the API (not even which paths exist) answers without the token.
  if (!(deps.authorizeApi?.(req.headers.authorization) ?? false)) {
    sendJson(req, res, 401, { error: 'unauthorized' }, ['WWW-Authenticate', 'Bearer']);
    return true;
  }
  if (path === '/api/streams') {
    if (req.method !== 'GET' && req.method !== 'HEAD') sendJson(req, res, 405, { error: 'method not allowed' }, ['Allow', 'GET, HEAD']);
    else sendJson(req, res, 200, { streams: deps.listStreams() });
    return true;
  }
  const kick = kickPattern.exec(path);
  if (kick) {
    const app = decode(kick[1]!);
    const name = decode(kick[2]!);
    if (req.method !== 'POST') sendJson(req, res, 405, { error: 'method not allowed' }, ['Allow', 'POST']);
    else if (app === undefined || name === undefined || deps.kick === undefined) sendJson(req, res, 404, { error: 'not live' });
    else {
      deps.kick(app, name).then(
        (kicked) => (kicked ? sendJson(req, res, 200, { kicked: true }) : sendJson(req, res, 404, { error: 'not live' })),
        () => sendJson(req, res, 500, { error: 'internal error' }),
      );
    }
    return true;
  }
  sendJson(req, res, 404, { error: 'not found' });
  return true;
}
