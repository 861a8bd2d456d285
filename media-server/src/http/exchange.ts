// One request and its response, as the routes see them: the parsed head, and a response that
// writes straight to the connection's socket. The subset of node:http's API our routes use, so
// that they read the same; a held LL-HLS request learns of a hang-up through `onHangUp`.
import type { Socket } from 'node:net';
import type { RequestHead } from './request-head.js';
import { contentLengthOf, serializeResponseHead } from './response-head.js';

export interface HttpRequest {
  readonly method: string;
  /** The request-target as sent (split with splitRequestTarget). */
  readonly url: string;
  /** Lowercased names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** What a response needs from its connection. */
export interface ResponseChannel {
  readonly socket: Socket;
  /** The Date header value for now (cached per second by the server). */
  date(): string;
  /** Called once, after the last byte of this response was handed to the socket. */
  responseEnded(response: HttpResponse): void;
}

export class HttpResponse {
  private status = 200;
  private headers: readonly string[] = [];
  /** The Content-Length in `headers`, read once when they are set. */
  private declaredLength: number | undefined;
  private expectedBodyBytes: number | undefined;
  private writtenBodyBytes = 0;
  private corked = false;
  private hangUpListeners: Array<() => void> | undefined;
  /** The status line and headers went out. */
  headersSent = false;
  /** end() was called. */
  writableEnded = false;
  /** The connection is gone. */
  closed = false;

  constructor(
    private readonly channel: ResponseChannel,
    private readonly request: RequestHead,
  ) {}

  get keepAlive(): boolean {
    return this.request.keepAlive;
  }

  /** `headers` is a flat [name, value, ...] list; sent with the first write or end(). */
  writeHead(status: number, headers: readonly string[] = []): void {
    if (this.headersSent) throw new Error('headers already sent');
    this.status = status;
    this.headers = headers;
    this.declaredLength = contentLengthOf(headers);
  }

  /** Writes body bytes; false when the socket's buffer is full (wait for `drained()`). */
  write(chunk: Uint8Array): boolean {
    if (this.writableEnded || this.closed) return false;
    if (!this.headersSent && this.declaredLength === undefined) throw new Error('a streamed response needs a Content-Length');
    this.sendHead();
    this.countBody(chunk.length);
    return this.channel.socket.write(chunk);
  }

  /** Ends the response, with a last piece of body; sets Content-Length when none was given. */
  end(body?: Uint8Array | string): void {
    if (this.writableEnded) return;
    this.writableEnded = true;
    this.hangUpListeners = undefined;
    if (this.closed) return;
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (!this.headersSent && this.declaredLength === undefined && this.status !== 204 && this.status !== 304) {
      this.declaredLength = bytes?.length ?? 0;
      this.headers = [...this.headers, 'Content-Length', String(this.declaredLength)];
    }
    this.sendHead();
    const { socket } = this.channel;
    if (bytes !== undefined && bytes.length > 0) {
      this.countBody(bytes.length);
      socket.write(bytes);
    }
    if (this.corked) {
      this.corked = false;
      socket.uncork();
    }
    // A body shorter than its Content-Length would leave the client waiting for bytes that
    // never come, and the next response would be read as the rest of this one.
    if (this.expectedBodyBytes !== undefined && this.writtenBodyBytes !== this.expectedBodyBytes) {
      socket.destroy();
      return;
    }
    this.channel.responseEnded(this);
  }

  /** Drops the connection (a response that cannot be completed). */
  destroy(): void {
    this.channel.socket.destroy();
  }

  /** Resolves when the socket can take more, or is gone. */
  drained(): Promise<void> {
    const { socket } = this.channel;
    if (this.closed || !socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  /** `listener` runs if the connection closes before this response ended. */
  onHangUp(listener: () => void): void {
    if (this.writableEnded) return;
    if (this.closed) {
      listener();
      return;
    }
    (this.hangUpListeners ??= []).push(listener);
  }

  /** The connection closed (called by the connection). */
  connectionClosed(): void {
    this.closed = true;
    const listeners = this.hangUpListeners;
    this.hangUpListeners = undefined;
    if (!this.writableEnded) for (const listener of listeners ?? []) listener();
  }

  private sendHead(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    const noBody = this.request.method === 'HEAD' || this.status === 204 || this.status === 304;
    this.expectedBodyBytes = noBody ? 0 : this.declaredLength;
    const { socket } = this.channel;
    // Head and body leave in one writev (and one TCP segment when they fit) instead of two.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        if (!this.corked) return;
        this.corked = false;
        socket.uncork();
      });
    }
    const connection = !this.request.keepAlive ? 'close' : this.request.version === '1.0' ? 'keep-alive' : undefined;
    socket.write(serializeResponseHead(this.status, this.headers, this.channel.date(), connection), 'latin1');
  }

  private countBody(length: number): void {
    this.writtenBodyBytes += length;
    if (this.expectedBodyBytes !== undefined && this.writtenBodyBytes > this.expectedBodyBytes) {
      throw new Error(`response body exceeds its Content-Length (${this.expectedBodyBytes})`);
    }
  }
}
