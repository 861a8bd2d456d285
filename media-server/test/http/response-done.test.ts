import assert from 'node:assert/strict';
import { createServer, request, type ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { whenResponseDone } from '../../src/http/response-done.js';

describe('http whenResponseDone', () => {
  it('runs once the response is sent, and at once when the client already left', async () => {
    const calls: string[] = [];
    let pending: ServerResponse | undefined;
    const server = createServer((req, res) => {
      if (req.url === '/sent') {
        whenResponseDone(res, () => calls.push('sent'));
        res.end('ok');
      } else pending = res;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      await new Promise<void>((resolve, reject) => request({ port, host: '127.0.0.1', path: '/sent', agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject).end());
      for (let i = 0; i < 50 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(calls, ['sent']);

      const gone = request({ port, host: '127.0.0.1', path: '/held', agent: false });
      gone.on('error', () => undefined);
      gone.end();
      for (let i = 0; i < 100 && pending === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      gone.destroy();
      for (let i = 0; i < 100 && !(pending?.socket?.destroyed ?? true); i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      // The connection closed before anyone listened: cleanup must still run (now).
      whenResponseDone(pending!, () => calls.push('late'));
      assert.deepEqual(calls, ['sent', 'late']);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
