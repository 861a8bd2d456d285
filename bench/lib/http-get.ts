// A bounded HTTP GET over loopback with keep-alive, as a player would do it.
import { Agent, request } from 'node:http';
import { epochNow } from './time.js';

export const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 512 });

export interface GetResult {
  status: number;
  body: Buffer;
  /** performance.now() when the last byte of the body arrived. */
  doneAt: number;
  /** epochNow() at the same moment, for comparing with wall-clock timestamps. */
  doneEpochMs: number;
}

/** At most `maxBytes` of body are kept; a larger response is an error (every length is bounded). */
export function httpGet(url: string, timeoutMs: number, maxBytes = 64 * 1024 * 1024): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: keepAliveAgent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new Error(`GET ${url}: body larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), doneAt: performance.now(), doneEpochMs: epochNow() }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
