import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pauseReading } from '../../src/hls/pause-reading.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** A loopback connection: the server's end (what pauseReading is given) and the client's. */
interface Pair {
  readonly server: Socket;
  readonly client: Socket;
  readonly received: Buffer[];
}

describe('pauseReading', () => {
  let listener: Server;
  const accepted: Socket[] = [];
  before(async () => {
    listener = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => listener.close(resolve));
  });

  async function pair(): Promise<Pair> {
    const before = accepted.length;
    const port = (listener.address() as { port: number }).port;
    const client = await new Promise<Socket>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
    });
    for (let i = 0; i < 100 && accepted.length === before; i++) await sleep(5);
    const server = accepted[accepted.length - 1];
    assert.ok(server);
    const received: Buffer[] = [];
    server.on('data', (chunk: Buffer) => received.push(chunk));
    return { server, client, received };
  }

  it('reads nothing while paused, then everything the client sent meanwhile', async () => {
    const clock = new FakeClock();
    const { server, client, received } = await pair();
    pauseReading(server, 1000, clock);
    client.write('next request');
    await sleep(50);
    clock.advance(999);
    await sleep(50);
    assert.equal(Buffer.concat(received).length, 0, 'not read during the pause');
    clock.advance(1);
    for (let i = 0; i < 100 && received.length === 0; i++) await sleep(5);
    assert.equal(Buffer.concat(received).toString(), 'next request');
    assert.equal(clock.pendingTimers, 0);
    client.destroy();
  });

  it('a connection destroyed during its pause takes its timer with it', async () => {
    const clock = new FakeClock();
    const { server, client } = await pair();
    pauseReading(server, 1000, clock);
    assert.equal(clock.pendingTimers, 1);
    server.destroy();
    for (let i = 0; i < 100 && clock.pendingTimers > 0; i++) await sleep(5);
    assert.equal(clock.pendingTimers, 0);
    client.destroy();
  });

  it('does nothing for a zero delay, a paused socket or a destroyed one', async () => {
    const clock = new FakeClock();
    const zero = await pair();
    pauseReading(zero.server, 0, clock);
    assert.equal(zero.server.isPaused(), false);

    const paused = await pair();
    pauseReading(paused.server, 1000, clock);
    pauseReading(paused.server, 1000, clock);
    assert.equal(clock.pendingTimers, 1, 'one pause at a time');

    const destroyed = await pair();
    destroyed.server.destroy();
    pauseReading(destroyed.server, 1000, clock);
    assert.equal(clock.pendingTimers, 1);
    for (const p of [zero, paused, destroyed]) p.client.destroy();
  });
});
