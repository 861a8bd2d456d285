// A bounded HTTP GET over loopback with keep-alive, as a player would do it.
import { Agent, request } from 'node:http';
import { epochNow } from './time.js';

export const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 512 });

export interface GetResult {
  status: number;
  /** Empty when the body was discarded (`keepBody` false). */
  body: Buffer;
  /** Bytes of body received. */
  bodyBytes: number;
  /** performance.now() when the last byte of the body arrived. */
  doneAt: number;
  /** epochNow() at the same moment, for comparing with wall-clock timestamps. */
  doneEpochMs: number;
}

/**
 * At most `maxBytes` of body are kept; a larger response is an error (every length is bounded).
 * `keepBody` false counts the body without keeping it (a viewer fetching media only needs to know
 * when it arrived in full, not to copy every part into one Buffer).
 */
export function httpGet(url: string, timeoutMs: number, maxBytes = 64 * 1024 * 1024, keepBody = true): Promise<GetResult> {
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
        if (keepBody) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: keepBody ? Buffer.concat(chunks) : Buffer.alloc(0), bodyBytes: size, doneAt: performance.now(), doneEpochMs: epochNow() }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
