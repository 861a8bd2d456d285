// A real HTTP callback server on loopback standing in for the web app's on_publish/on_publish_done
// handlers: records every request as it arrived (request line version, raw header order, body)
// and answers with whatever `decide` says (status, Location, delay).
import { createServer, type IncomingMessage } from 'node:http';

export interface HookRequest {
  readonly path: string;
  readonly httpVersion: string;
  /** [name, value, name, value, ...] in wire order. */
  readonly rawHeaders: string[];
  readonly body: string;
  readonly form: URLSearchParams;
  readonly at: number;
}

export interface HookAnswer {
  readonly status: number;
  readonly location?: string;
  readonly delayMs?: number;
  readonly body?: string;
  /** Extra response headers (e.g. X-OnAir-Record). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HookServer {
  readonly port: number;
  url(path: string): string;
  readonly requests: HookRequest[];
  /** Resolves with the first recorded request matching `predicate`. */
  waitFor(predicate: (r: HookRequest) => boolean, timeoutMs?: number): Promise<HookRequest>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    req.on('error', reject);
  });
}

export async function startHookServer(decide: (request: HookRequest) => HookAnswer): Promise<HookServer> {
  const requests: HookRequest[] = [];
  const waiters = new Set<() => void>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const request: HookRequest = {
      path: req.url ?? '',
      httpVersion: req.httpVersion,
      rawHeaders: req.rawHeaders,
      body,
      form: new URLSearchParams(body),
      at: Date.now(),
    };
    requests.push(request);
    for (const wake of waiters) wake();
    const answer = decide(request);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    res.writeHead(answer.status, { ...answer.headers, ...(answer.location ? { Location: answer.location } : {}) });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    port,
    requests,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.find(predicate);
          if (found) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching hook request within ${timeoutMs} ms; got ${JSON.stringify(requests.map((r) => `${r.path} ${r.body}`))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
