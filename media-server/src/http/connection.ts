// One HTTP/1.1 connection: bytes in, parsed request heads to the handler, one response at a
// time (a pipelined request waits for the one before it, RFC 9112 9.3.2), keep-alive between
// them. Replaces node:http for the media server: an LL-HLS viewer makes ~10 small requests a
// second, and node:http builds two streams (IncomingMessage, ServerResponse) and a header object
// for each. Side by side with the node:http build (ingest-load.ts, one LL-HLS viewer per stream,
// both servers at once on 2 cores) the whole server used 13.5 -> 12.2 % of a core at 10 streams
// and a median of 21.8 -> 21.1 % (3 runs, each lower) at 20: a few per cent, fewer allocations.
import type { Socket } from 'node:net';
import { HttpResponse, type HttpRequest, type ResponseChannel } from './exchange.js';
import { parseRequestHead, type RequestHeadLimits } from './request-head.js';
import { serializeResponseHead } from './response-head.js';

export type RequestHandler = (req: HttpRequest, res: HttpResponse) => void;

export interface ConnectionOptions {
  readonly limits: RequestHeadLimits;
  /** A request head must be complete this long after its first byte (slow-loris clients). */
  readonly headersTimeoutMs: number;
  /** An idle connection (no request in progress) is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /** Request bodies up to this size are read and dropped; larger ones get a 413. */
  readonly maxDiscardedBodyBytes: number;
  readonly date: () => string;
}

export class HttpConnection implements ResponseChannel {
  /** Received bytes not parsed yet. */
  private buffered: Buffer | undefined;
  /** Body bytes of the last request still to skip. */
  private bodyToSkip = 0;
  private current: HttpResponse | undefined;
  /** When the first byte of the head being received arrived (0: none is). */
  private headStartedAt = 0;
  private processing = false;
  private closing = false;

  constructor(
    readonly socket: Socket,
    private readonly handler: RequestHandler,
    private readonly options: ConnectionOptions,
  ) {
    socket.setTimeout(options.keepAliveTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('timeout', () => this.timedOut());
    // ECONNRESET and the like: 'close' follows, which is all we need.
    socket.on('error', () => {});
    // A client that shuts down its sending side is treated as gone, as node:http does by default
    // (httpAllowHalfOpen false): net ends our side too, 'close' follows, a held request hangs up.
    socket.on('close', () => {
      this.closing = true;
      this.current?.connectionClosed();
    });
  }

  /** Ends the connection now (server shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    if (this.closing) return;
    this.buffered = this.buffered === undefined || this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.process();
  }

  private process(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      while (!this.closing && this.buffered !== undefined && this.buffered.length > 0) {
        if (this.bodyToSkip > 0) {
          const skipped = Math.min(this.bodyToSkip, this.buffered.length);
          this.bodyToSkip -= skipped;
          this.buffered = this.buffered.subarray(skipped);
          continue;
        }
        if (this.current !== undefined) {
          // A pipelined request waits; a client that keeps sending meanwhile is not read from.
          if (this.buffered.length > this.options.limits.maxHeadBytes) this.socket.pause();
          return;
        }
        if (this.headStartedAt === 0) this.headStartedAt = Date.now();
        const result = parseRequestHead(this.buffered, this.options.limits);
        if (result.kind === 'incomplete') {
          if (Date.now() - this.headStartedAt > this.options.headersTimeoutMs) this.refuse(408, 'request head took too long');
          return;
        }
        if (result.kind === 'invalid') {
          this.refuse(result.status, result.reason);
          return;
        }
        const { head } = result;
        this.headStartedAt = 0;
        this.buffered = this.buffered.subarray(head.headLength);
        if (head.bodyLength > this.options.maxDiscardedBodyBytes) {
          this.refuse(413, 'request body too large');
          return;
        }
        this.bodyToSkip = head.bodyLength;
        const response = new HttpResponse(this, head);
        this.current = response;
        try {
          this.handler({ method: head.method, url: head.target, headers: head.headers }, response);
        } catch {
          // The handler's own bug: without a response the connection cannot go on.
          this.socket.destroy();
          return;
        }
      }
    } finally {
      this.processing = false;
    }
  }

  date(): string {
    return this.options.date();
  }

  responseEnded(response: HttpResponse): void {
    if (this.current !== response) return;
    this.current = undefined;
    if (!response.keepAlive) {
      this.closing = true;
      this.socket.end();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    // Ended inside the handler: the loop in process() goes on by itself.
    this.process();
  }

  /** Answers a request we cannot take and closes (the rest of the stream cannot be framed). */
  private refuse(status: number, reason: string): void {
    this.closing = true;
    const body = Buffer.from(`${reason}\n`);
    const headers = ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(body.length), 'Cache-Control', 'no-store'];
    this.socket.end(Buffer.concat([Buffer.from(serializeResponseHead(status, headers, this.options.date(), 'close'), 'latin1'), body]));
  }

  private timedOut(): void {
    if (this.current !== undefined) return; // a held LL-HLS request times out in LiveStream
    if (this.headStartedAt !== 0) this.refuse(408, 'request head took too long');
    else this.socket.destroy(); // idle keep-alive connection
  }
}
