// Sends exact request bytes over a TCP socket and reads the response until the server closes it,
// the way nginx-rtmp talks to its notify URLs (HTTP/1.0, Connection: Close).
import { connect } from 'node:net';

export interface RawResponse {
  statusLine: string;
  status: number;
  headers: Map<string, string>;
  body: string;
}

export function sendRawHttp(port: number, request: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no complete response within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`incomplete response: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ statusLine, status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
  });
}
