// The HTTP listener: /healthz and /api/streams answered here, everything else offered to the HLS
// output (`hls.handle` returns false for paths that are not its own), 404 otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { splitRequestTarget, type RequestTarget } from './request-target.js';
import { handleRoute, sendJson, type RouteDeps } from './routes.js';

export interface HttpHandler {
  handle(req: IncomingMessage, res: ServerResponse, target: RequestTarget): boolean;
}

export interface HttpServerOptions extends RouteDeps {
  readonly logger: Logger;
  readonly hls?: HttpHandler;
}

export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((req, res) => {
    try {
      const target = splitRequestTarget(req.url);
      if (handleRoute(req, res, target.path, options)) return;
      if (options.hls?.handle(req, res, target)) return;
      sendJson(res, 404, { error: 'not found' }, req.method === 'HEAD');
    } catch (error) {
      options.logger.error('http request failed', { url: req.url?.slice(0, 200), error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  });
  // Slow or stuck clients must not pile up: bound how long a request may take to arrive.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(address && typeof address === 'object' ? address.port : port);
    });
  });
}
