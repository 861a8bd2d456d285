// A loopback TCP proxy a test can cut, to see how a client recovers from a dropped connection (an
// EventSource reconnecting with Last-Event-ID). Chromium's offline emulation leaves open responses
// alone, so the drop has to happen on the wire.
//
//   const proxy = await startTcpProxy(app.port);   // http://127.0.0.1:<proxy.port> reaches the app
//   proxy.cut();      // closes every open connection and refuses new ones
//   proxy.restore();  // accepts connections again
//   await proxy.close();
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const both = [client, upstream];
    for (const socket of both) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // One side failing ends the pair; the other side's error is the same story.
      socket.on('error', () => both.forEach((s) => s.destroy()));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    cut() {
      refusing = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
