// A bounded HTTP GET over loopback with keep-alive, as a player would do it. It goes through
// undici's dispatcher with callbacks rather than node:http's ClientRequest/IncomingMessage
// streams: a fan-out worker holds 250 viewers making ~2500 requests a second, and with node:http
// the viewers' own request machinery took most of the machine's second core (bench section 6).
import { Agent, Client, type Dispatcher } from 'undici';
import { epochNow } from './time.js';

/** Keep-alive pools per origin, for callers that do not hold a connection of their own. */
const sharedAgent = new Agent({ keepAliveTimeout: 30_000, pipelining: 1 });

/**
 * One keep-alive connection per origin, as a player holds to its media server: requests wait for
 * the one before them. A shared pool instead opened a new connection whenever a viewer asked again
 * before its last connection was marked free: 1000 viewers opened ~2300 connections a run, the
 * server's accept queue was never empty, and some requests went unanswered for seconds.
 */
export class OwnConnection {
  private readonly clients = new Map<string, Client>();

  dispatcherFor(origin: string): Dispatcher {
    let client = this.clients.get(origin);
    if (client === undefined) this.clients.set(origin, (client = new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000 })));
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.destroy()));
    this.clients.clear();
  }
}

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
export function httpGet(url: string, timeoutMs: number, maxBytes = 64 * 1024 * 1024, keepBody = true, connection?: OwnConnection): Promise<GetResult> {
  const schemeEnd = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', schemeEnd);
  const origin = pathStart < 0 ? url : url.slice(0, pathStart);
  const path = pathStart < 0 ? '/' : url.slice(pathStart);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    let abort: ((reason?: Error) => void) | undefined;
    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abortRequest) {
        abort = abortRequest;
      },
      onHeaders(statusCode) {
        status = statusCode;
        return true;
      },
      onData(chunk) {
        size += chunk.length;
        if (size > maxBytes) {
          abort?.(new Error(`GET ${url}: body larger than ${maxBytes} bytes`));
          return false;
        }
        if (keepBody) chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, body: keepBody ? Buffer.concat(chunks) : Buffer.alloc(0), bodyBytes: size, doneAt: performance.now(), doneEpochMs: epochNow() });
      },
      onError(error) {
        reject(error.name === 'HeadersTimeoutError' || error.name === 'BodyTimeoutError' ? new Error(`GET ${url}: no response within ${timeoutMs} ms`) : error);
      },
    };
    const dispatcher = connection === undefined ? sharedAgent : connection.dispatcherFor(origin);
    dispatcher.dispatch({ origin, path, method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs }, handler);
  });
}
