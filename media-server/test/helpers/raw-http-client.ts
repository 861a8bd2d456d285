// HTTP/1.1 by hand over one socket, for tests and the hostile bench that must know which
// connection a request goes out on (fetch pools its connections): a reader of one response with
// Content-Length, and a keep-alive client that sends one request at a time. Not a general client.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** The status line and headers, without the blank line. */
  readonly head: string;
  readonly body: string;
}

/** Reads one response with Content-Length off `socket`; undefined on close, timeout or over 1 MiB. */
export function readHttpResponse(socket: Socket, timeoutMs: number): Promise<RawResponse | undefined> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const finish = (value: RawResponse | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length > 1 << 20) return finish(undefined);
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = data.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < headEnd + 4 + length) return;
      finish({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: data.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8') });
    };
    const onClose = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** One keep-alive connection; each request waits for its response before the next is sent. */
export class RawClient {
  private constructor(private readonly socket: Socket) {
    socket.on('error', () => undefined);
  }

  /** Connects to `base` (http://host:port). */
  static connect(base: string): Promise<RawClient> {
    const url = new URL(base);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a GET and resolves with its response; rejects when none comes within `timeoutMs`. */
  async request(path: string, timeoutMs = 10_000): Promise<RawResponse> {
    const response = readHttpResponse(this.socket, timeoutMs);
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
    const received = await response;
    if (received === undefined) throw new Error(`no response to ${path}`);
    return received;
  }

  close(): void {
    this.socket.destroy();
  }
}
