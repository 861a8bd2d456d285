// One keep-alive HTTP/1.1 connection driven by hand, for tests that must know which connection a
// request goes out on (fetch pools its connections). Responses are read by their Content-Length;
// it sends one request at a time and is not a general client.
import { connect, type Socket } from 'node:net';

export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    socket.on('close', () => this.waiting?.());
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

  /** Sends a GET and resolves with the whole response (head and body) as text. */
  async request(path: string): Promise<string> {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
    for (;;) {
      const response = this.takeResponse();
      if (response !== undefined) return response;
      if (this.socket.destroyed) throw new Error(`connection closed before the response to ${path}`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private takeResponse(): string | undefined {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const head = this.buffered.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headEnd + 4 + length;
    if (this.buffered.length < end) return undefined;
    const response = this.buffered.subarray(0, end).toString('utf8');
    this.buffered = this.buffered.subarray(end);
    return response;
  }
}
