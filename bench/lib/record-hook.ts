// The recording phase's on_publish callback: a tiny HTTP server in the bench process that allows
// every publish, with `X-OnAir-Record: 1` (record it) or without (do not), as the web app answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordHook {
  /** The --on-publish URL. */
  readonly url: string;
  /** Publishes answered so far. */
  answered(): number;
  close(): Promise<void>;
}

export async function startRecordHook(record: boolean): Promise<RecordHook> {
  let answered = 0;
  const server: Server = createServer((req, res) => {
    // The form is not needed; it is drained so the answer goes out on a clean connection.
    req.resume();
    req.on('end', () => {
      answered += 1;
      res.writeHead(200, record ? { 'X-OnAir-Record': '1' } : {}).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/on-publish`,
    answered: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
