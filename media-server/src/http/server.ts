// The HTTP listener, on node:http (llhttp parsing, keep-alive, and a socket that stops being read
// while its pipelined responses are not being read). What node:http leaves to us is here: caps
// on connections in total and per client address, a write-stall timeout for clients that stop
// reading, one request at a time per connection, and no request bodies. /healthz and /api/* are
// answered by routes.ts, everything else is offered to the HLS output, 404 otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logger.js';
import { AddressCounter } from './address-counter.js';
import { refuseBeforeSocket } from '../net/accept-gate.js';
import { addressKey, normalizeAddress } from '../net/address-key.js';
import { clientAddress, isTrustedProxy, trustNoProxy, type TrustProxy } from './client-address.js';
import { splitRequestTarget, type RequestTarget } from './request-target.js';
import { handleRoute, sendJson, type RouteDeps } from './routes.js';

/** A request as the handlers see it: its target split once, and the key its client is counted under. */
export interface RequestInfo {
  readonly target: RequestTarget;
  /** addressKey() of the client (the forwarded one with --trust-proxy). */
  readonly client: string;
}

export interface HttpHandler {
  handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo): boolean;
}

export interface HttpLimits {
  /** Connections open at once; more are closed at accept. */
  readonly maxConnections: number;
  /** Connections open at once per client address (an IPv6 client is its /64). */
  readonly maxConnectionsPerAddress: number;
  /** Requests received on one connection and not answered yet; a client pipelining more is dropped. */
  readonly maxPipelinedRequests: number;
  /** A connection with unsent response bytes that makes no write progress this long is destroyed. */
  readonly writeStallTimeoutMs: number;
  /** A request head must be complete this long after the connection or the previous request. */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /** Largest request head (request line + headers). */
  readonly maxHeaderBytes: number;
}

export const defaultHttpLimits: HttpLimits = {
  maxConnections: 4000,
  maxConnectionsPerAddress: 64,
  maxPipelinedRequests: 16,
  writeStallTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 8 * 1024,
};

export interface HttpServerOptions extends RouteDeps {
  readonly logger: Logger;
  readonly hls?: HttpHandler;
  /** Signed recording URLs under /recordings/ (recordings/routes.ts). */
  readonly recordings?: HttpHandler;
  readonly limits?: Partial<HttpLimits>;
  readonly trustProxy?: TrustProxy;
}

export interface HttpServer {
  /** Listens on `host:port` (0: any free port); resolves with the port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => void;

export function createHttpServer(options: HttpServerOptions): HttpServer {
  return createHttpListener((req, res, info) => {
    try {
      if (handleRoute(req, res, info.target.path, options)) return;
      if (options.recordings?.handle(req, res, info)) return;
      if (options.hls?.handle(req, res, info)) return;
      sendJson(req, res, 404, { error: 'not found' });
    } catch (error) {
      options.logger.error('http request failed', { path: info.target.path.slice(0, 200), error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal error' });
      else res.destroy();
    }
  }, options);
}

/** Per-connection bookkeeping. */
interface Connection {
  /** The key counted at accept (the socket's address), or undefined when not counted there. */
  acceptKey: string | undefined;
  /** With --trust-proxy: the forwarded client this connection is counted under. */
  forwardedKey: string | undefined;
  /** A request is being handled (its response has not finished). */
  busy: boolean;
  /** Requests received while `busy`, run in order. */
  readonly queue: Array<() => void>;
  /** Write progress as of the last sweep, and since when it has not moved. */
  lastWritten: number;
  lastPending: number;
  stalledSince: number;
}

/** A node:http server with the limits above that hands every request to `listener`. */
export function createHttpListener(listener: RequestListener, options: { readonly limits?: Partial<HttpLimits>; readonly trustProxy?: TrustProxy; readonly logger?: Logger } = {}): HttpServer {
  const limits: HttpLimits = { ...defaultHttpLimits, ...options.limits };
  const trust = options.trustProxy ?? trustNoProxy;
  const connections = new Map<Socket, Connection>();
  // Counted at accept by socket address; with --trust-proxy a proxy's own connections are not
  // counted there but under the forwarded client of their first request.
  const perAddress = new AddressCounter(limits.maxConnectionsPerAddress);

  const server: Server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    // noDelay: a small response must not wait for the client's delayed ACK of the one before.
    noDelay: true,
    headersTimeout: limits.headersTimeoutMs,
    // Our requests have no body: the whole request is its head.
    requestTimeout: limits.headersTimeoutMs + 1000,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often node checks the two timeouts above (default 30 s would let them run long).
    connectionsCheckingInterval: Math.max(250, Math.min(5000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  // Over the total: node closes the connection at accept, before making a Socket for it.
  server.maxConnections = limits.maxConnections;
  // A trusted proxy's connections carry many clients: counted per request (serve()) instead.
  const countedAtAccept = (address: string) => trust.kind === 'none' || (trust.kind === 'list' && !isTrustedProxy(address, trust));
  // node:http gives every accepted socket a parser (kept in a free list of up to 1000 afterwards),
  // timers and listeners in its own 'connection' listener: a socket over the per-address cap is
  // closed before that listener runs (and, with refuseBeforeSocket in listen(), before a Socket
  // is made at all), so a burst of refused connections allocates none of it.
  const httpOnConnection = server.listeners('connection');
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const address = normalizeAddress(socket.remoteAddress ?? '');
    const peer = addressKey(address);
    const countedHere = countedAtAccept(address);
    if (countedHere && !perAddress.tryAdd(peer)) {
      socket.destroy();
      return;
    }
    const connection: Connection = { acceptKey: countedHere ? peer : undefined, forwardedKey: undefined, busy: false, queue: [], lastWritten: 0, lastPending: 0, stalledSince: 0 };
    connections.set(socket, connection);
    socket.once('close', () => {
      connections.delete(socket);
      if (connection.acceptKey !== undefined) perAddress.remove(connection.acceptKey);
      if (connection.forwardedKey !== undefined) perAddress.remove(connection.forwardedKey);
    });
    for (const listener of httpOnConnection) listener.call(server, socket);
  });
  // A client that cannot send a valid head in time gets an answer and the connection closes.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const connection = connections.get(socket);
    if (connection === undefined) {
      socket.destroy();
      return;
    }
    const run = () => {
      connection.busy = true;
      let done = false;
      const next = () => {
        if (done) return;
        done = true;
        connection.busy = false;
        connection.queue.shift()?.();
      };
      res.once('finish', next);
      res.once('close', next);
      serve(req, res, connection);
    };
    // node:http parses every request in a received chunk at once and hands them all over: one
    // packet of pipelined GETs would start hundreds of segment reads. They run one at a time,
    // each after the response before it went to the socket, and a client that queues more than
    // the cap is dropped, so a connection holds at most one response in memory.
    if (!connection.busy) run();
    else if (connection.queue.length < limits.maxPipelinedRequests) connection.queue.push(run);
    else socket.destroy();
  });

  function serve(req: IncomingMessage, res: ServerResponse, connection: Connection): void {
    const socketAddress = req.socket.remoteAddress ?? '';
    const forwarded = trust.kind === 'none' ? undefined : req.headers['x-forwarded-for'];
    const client = addressKey(clientAddress(socketAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, trust));
    if (connection.acceptKey === undefined && connection.forwardedKey === undefined) {
      // Behind a proxy: the connection counts for the client of its first request.
      if (!perAddress.tryAdd(client)) return refuse(res, 503, 'too many connections from your address');
      connection.forwardedKey = client;
    }
    // We take no uploads: a body would have to be read (or the connection given up) to frame the next request.
    if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')) {
      return refuse(res, 413, 'request bodies are not accepted');
    }
    listener(req, res, { target: splitRequestTarget(req.url), client });
  }

  // One sweep for every connection: node:http has no timeout for a response the client does not read.
  const sweepEvery = Math.max(100, Math.min(1000, Math.floor(limits.writeStallTimeoutMs / 4)));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [socket, connection] of connections) {
      const pending = socket.writableLength;
      if (pending === 0) {
        connection.stalledSince = 0;
        continue;
      }
      const written = socket.bytesWritten;
      if (connection.stalledSince === 0 || written !== connection.lastWritten || pending !== connection.lastPending) {
        connection.stalledSince = now;
        connection.lastWritten = written;
        connection.lastPending = pending;
      } else if (now - connection.stalledSince >= limits.writeStallTimeoutMs) {
        options.logger?.debug('http write stalled, dropping connection', { pendingBytes: pending });
        socket.destroy();
      }
    }
  }, sweepEvery);
  sweep.unref();

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          refuseBeforeSocket(server, (raw) => {
            const address = normalizeAddress(raw);
            return countedAtAccept(address) && !perAddress.canAdd(addressKey(address));
          });
          const address = server.address();
          resolve(address && typeof address === 'object' ? address.port : port);
        });
      });
    },
    close() {
      clearInterval(sweep);
      return new Promise((resolve) => {
        server.closeAllConnections();
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const body = Buffer.from(`${message}\n`);
  res.shouldKeepAlive = false;
  res.writeHead(status, ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(body.length), 'Cache-Control', 'no-store', 'Connection', 'close']);
  res.end(body);
}
