import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from './ports.js';

describe('freePort', () => {
  it('never hands one process the same port twice, calls at once included, and each can be bound', async () => {
    const ports = [...(await Promise.all(Array.from({ length: 50 }, () => freePort()))), ...(await Promise.all(Array.from({ length: 50 }, () => freePort())))];
    assert.equal(new Set(ports).size, ports.length, 'all different');
    for (const port of ports) assert.ok(port >= 10_000 && port < 65_536, String(port));
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
