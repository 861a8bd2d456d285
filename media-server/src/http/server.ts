// The HTTP listener: /healthz and /api/streams answered here, everything else offered to the HLS
// output (`hls.handle` returns false for paths that are not its own), 404 otherwise. HTTP/1.1 is
// spoken by connection.ts (request-head.ts, response-head.ts), not node:http.
import { createServer, type Server } from 'node:net';
import type { Logger } from '../logger.js';
import { HttpConnection, type ConnectionOptions, type RequestHandler } from './connection.js';
import type { HttpRequest, HttpResponse } from './exchange.js';
import { defaultRequestHeadLimits } from './request-head.js';
import { splitRequestTarget, type RequestTarget } from './request-target.js';
import { handleRoute, sendJson, type RouteDeps } from './routes.js';

export interface HttpHandler {
  handle(req: HttpRequest, res: HttpResponse, target: RequestTarget): boolean;
}

export interface HttpServerOptions extends RouteDeps {
  readonly logger: Logger;
  readonly hls?: HttpHandler;
}

export interface HttpServer {
  /** Listens on `host:port` (0: any free port); resolves with the port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** The IMF-fixdate for the Date header, formatted at most once a second. */
function dateCache(): () => string {
  let second = -1;
  let text = '';
  return () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      text = new Date(now * 1000).toUTCString();
    }
    return text;
  };
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  return createHttpListener((req, res) => {
    try {
      const target = splitRequestTarget(req.url);
      if (handleRoute(req, res, target.path, options)) return;
      if (options.hls?.handle(req, res, target)) return;
      sendJson(req, res, 404, { error: 'not found' });
    } catch (error) {
      options.logger.error('http request failed', { url: req.url.slice(0, 200), error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal error' });
      else res.destroy();
    }
  });
}

/** An HTTP/1.1 server that hands every request to `handler` (`tuning`: shorter timeouts for tests). */
export function createHttpListener(handler: RequestHandler, tuning: Partial<ConnectionOptions> = {}): HttpServer {
  const connectionOptions: ConnectionOptions = {
    limits: defaultRequestHeadLimits,
    // Slow or stuck clients must not pile up: bound how long a request may take to arrive.
    headersTimeoutMs: 10_000,
    keepAliveTimeoutMs: 5_000,
    maxDiscardedBodyBytes: 64 * 1024,
    date: dateCache(),
    ...tuning,
  };
  const connections = new Set<HttpConnection>();
  // noDelay: a small response must not wait for the client's delayed ACK of the one before.
  const server: Server = createServer({ noDelay: true }, (socket) => {
    const connection = new HttpConnection(socket, handler, connectionOptions);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(address && typeof address === 'object' ? address.port : port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        for (const connection of connections) connection.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      });
    },
  };
}
