// Open-loop HTTP load shaped like nginx-rtmp's on_publish notify: requests start at a fixed rate
// whether or not earlier ones were answered, each on its own connection, byte for byte the form
// nginx-rtmp 1.2.2 sends (HTTP/1.0; Host, Content-Type, Connection: Close, Content-Length; see
// /work/shared/fixtures/nginx-rtmp-callbacks.txt). Latency counts from the moment a request was
// DUE, so a slow server cannot hide queueing by slowing the sender (no coordinated omission).
import { connect } from 'node:net';
import { sleep } from './time.js';

export interface CallbackResult {
  /** Due time -> last response byte, ms. */
  latencyMs: number;
  /** Actual send time -> last response byte, ms. */
  serviceMs: number;
  status: number;
}

export interface CallbackLoadResult {
  results: CallbackResult[];
  /** Requests that failed without an HTTP status (connection error or timeout). */
  failures: number;
  firstFailure?: string;
  achievedRatePerSecond: number;
  /** Largest delay between a request's due time and its actual start (sender-side lag), ms. */
  maxSendLagMs: number;
}

export function nginxNotifyRequest(path: string, body: string): string {
  return `POST ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: Close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** `name` is the published stream name; `key`, if given, is a publish query arg (`live/<name>?key=<key>`). */
export function publishBody(name: string, clientId: number, rtmpPort: number, key?: string): string {
  const form = new URLSearchParams({
    app: 'live', flashver: 'FMLE/3.0 (compatible; Lavf59.27', swfurl: '', tcurl: `rtmp://127.0.0.1:${rtmpPort}/live`,
    pageurl: '', addr: '127.0.0.1', clientid: String(clientId), call: 'publish', name, type: 'live',
  });
  if (key !== undefined) form.append('key', key);
  // nginx-rtmp escapes spaces as %20 (URLSearchParams would write '+').
  return form.toString().replaceAll('+', '%20');
}

function sendOne(port: number, raw: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no response within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.end(raw));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 65_536) chunks.push(chunk); // the status line is all we need; the rest is drained
    });
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (hadError) return;
      const head = Buffer.concat(chunks).toString('latin1', 0, 64);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`not an HTTP response: ${JSON.stringify(head)}`));
    });
  });
}

export async function runCallbackLoad(options: {
  port: number;
  path: string;
  ratePerSecond: number;
  durationMs: number;
  body: (index: number) => string;
  timeoutMs: number;
}): Promise<CallbackLoadResult> {
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const interval = 1000 / options.ratePerSecond;
  const results: CallbackResult[] = [];
  const pending: Promise<void>[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let maxSendLagMs = 0;
  const start = performance.now();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Send everything that is due, even if the event loop woke up late.
    while (next < total && start + next * interval <= now) {
      const due = start + next * interval;
      const sentAt = performance.now();
      maxSendLagMs = Math.max(maxSendLagMs, sentAt - due);
      const raw = nginxNotifyRequest(options.path, options.body(next));
      pending.push(
        sendOne(options.port, raw, options.timeoutMs).then(
          (status) => {
            const doneAt = performance.now();
            results.push({ latencyMs: doneAt - due, serviceMs: doneAt - sentAt, status });
          },
          (error: unknown) => {
            failures += 1;
            firstFailure ??= error instanceof Error ? error.message : String(error);
          },
        ),
      );
      next += 1;
    }
    const wait = start + next * interval - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  const result: CallbackLoadResult = { results, failures, achievedRatePerSecond: total / sendSeconds, maxSendLagMs };
  if (firstFailure !== undefined) result.firstFailure = firstFailure;
  return result;
}
