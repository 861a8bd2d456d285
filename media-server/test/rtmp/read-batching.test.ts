// readInBatches over a real loopback socket pair (the server side made with highWaterMark 1,
// as RtmpServer makes it): batches while asked to, hands on at once otherwise or for big reads,
// and never loses or reorders a byte.
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { readInBatches, type ReadBatching } from '../../src/rtmp/read-batching.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  at: number;
  bytes: Buffer;
}

async function pair(options: ReadBatching, batching: () => boolean): Promise<{ client: Socket; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer({ highWaterMark: 1 }, (socket) => readInBatches(socket, options, batching, (bytes) => received.push({ at: performance.now(), bytes })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  const client = connect(address.port, '127.0.0.1');
  client.setNoDelay(true);
  await new Promise((resolve) => client.once('connect', resolve));
  return {
    client,
    received,
    async close() {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const total = (received: Received[]) => Buffer.concat(received.map((r) => r.bytes));

describe('readInBatches', () => {
  it('while batching, small writes spread over less than a window arrive as one or two reads, in order', async () => {
    const { client, received, close } = await pair({ windowMs: 300, bigReadBytes: 32 * 1024 }, () => true);
    try {
      const sent: Buffer[] = [];
      const start = performance.now();
      for (let i = 0; i < 10; i++) {
        const chunk = Buffer.alloc(200, i);
        sent.push(chunk);
        client.write(chunk);
        await sleep(10);
      }
      for (let i = 0; i < 100 && total(received).length < 2000; i++) await sleep(10);
      assert.ok(total(received).equals(Buffer.concat(sent)), 'every byte, in order');
      assert.ok(received.length <= 2, `${received.length} reads`);
      assert.ok((received[0]?.at ?? 0) - start >= 250, `first bytes waited for the window (${((received[0]?.at ?? 0) - start).toFixed(0)} ms)`);
    } finally {
      await close();
    }
  });

  it('hands on at once when not batching (handshake, connect)', async () => {
    const { client, received, close } = await pair({ windowMs: 1000, bigReadBytes: 32 * 1024 }, () => false);
    try {
      const start = performance.now();
      client.write(Buffer.from('C0C1'));
      for (let i = 0; i < 100 && received.length === 0; i++) await sleep(5);
      assert.equal(total(received).toString(), 'C0C1');
      assert.ok((received[0]?.at ?? Infinity) - start < 500);
    } finally {
      await close();
    }
  });

  it('a big read is not held back (a fast stream is never throttled to one read per window)', async () => {
    const { client, received, close } = await pair({ windowMs: 60_000, bigReadBytes: 16 * 1024 }, () => true);
    try {
      const big = Buffer.alloc(256 * 1024, 7);
      client.write(big);
      for (let i = 0; i < 200 && total(received).length < 200 * 1024; i++) await sleep(5);
      assert.ok(total(received).length >= 200 * 1024, `${total(received).length} bytes within 1 s despite a 60 s window`);
    } finally {
      await close();
    }
  });

  it('bytes waiting in a batch when the publisher hangs up are still handed on', async () => {
    const { client, received, close } = await pair({ windowMs: 200, bigReadBytes: 32 * 1024 }, () => true);
    try {
      client.end(Buffer.from('last words'));
      for (let i = 0; i < 100 && received.length === 0; i++) await sleep(10);
      assert.equal(total(received).toString(), 'last words');
    } finally {
      await close();
    }
  });
});
