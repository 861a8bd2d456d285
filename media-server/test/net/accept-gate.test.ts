// refuseBeforeSocket: a refused connection is closed at its accepted handle, so the server's
// 'connection' listeners (and the Socket they would get) never see it; the rest pass as before.
// It wraps a Node internal: this test is what fails when a Node upgrade moves it.
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { refuseBeforeSocket } from '../../src/net/accept-gate.js';

/** Connects from `localAddress`; resolves with whether the server closed it before `ms`. */
function closedByServer(port: number, localAddress: string, ms = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('accept gate (refusing before a Socket is made)', () => {
  it('closes the refused peers at accept, before any connection listener, and lets the others through', async () => {
    const seen: string[] = [];
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      seen.push(socket.remoteAddress ?? '');
      accepted.push(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const asked: string[] = [];
    assert.equal(
      refuseBeforeSocket(server, (address) => {
        asked.push(address);
        return address === '127.0.0.3';
      }),
      true,
      'installed on this Node',
    );
    const { port } = server.address() as { port: number };
    try {
      assert.equal(await closedByServer(port, '127.0.0.3'), true);
      assert.deepEqual(seen, [], 'the refused connection never reached a connection listener');
      assert.equal(await closedByServer(port, '127.0.0.1', 300), false);
      assert.deepEqual(seen, ['127.0.0.1']);
      assert.deepEqual(asked, ['127.0.0.3', '127.0.0.1'], 'the rule sees each peer address once');
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('installs nothing on a server that is not listening', () => {
    assert.equal(refuseBeforeSocket(createServer(), () => true), false);
  });
});
