// The RTMP listener's limits that live around the session, in-process on loopback: input sent
// while on_publish decides is not read until the decision (the socket is paused), so a peer
// cannot make us buffer anything meanwhile; and the per-address cap frees its slot on close.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import type { PublishDecision, PublishHooks } from '../../src/hooks/on-publish.js';
import { createMemoryLogger } from '../../src/logger.js';
import type { StreamOutputs } from '../../src/media/types.js';
import { Amf0Object } from '../../src/amf/amf0.js';
import { MessageType, command } from '../../src/rtmp/messages.js';
import { RtmpServer } from '../../src/rtmp/server.js';
import { StreamRegistry } from '../../src/streams/stream-registry.js';
import { ScriptedClient } from '../helpers/rtmp-client.js';

const outputs: StreamOutputs = { open: () => ({ write: () => undefined, end: () => undefined }) };

function serverWith(hooks: PublishHooks, extra: { maxConnectionsPerAddress?: number } = {}) {
  const logger = createMemoryLogger();
  const server = new RtmpServer({ host: '127.0.0.1', port: 0, app: 'live', logger, hooks, outputs, registry: new StreamRegistry(), idleTimeoutMs: 10_000, ...extra });
  return { server, logger };
}

async function requestPublish(client: ScriptedClient, name: string): Promise<void> {
  client.send(command('connect', 1, Amf0Object.from({ app: 'live', tcUrl: 'rtmp://127.0.0.1/live?key=secret-in-tcurl' }), []));
  await client.until(() => client.statusCodes().includes('_result:NetConnection.Connect.Success'));
  client.send(command('createStream', 2, null, []));
  await client.until(() => client.received.some((m) => m.type === MessageType.CommandAmf0 && m.transactionId === 2));
  client.send(command('publish', 3, null, [name, 'live'], 1));
}

describe('rtmp server limits', () => {
  it('does not read what a client sends while on_publish decides, and reads it once the publish is accepted', async () => {
    let decide: (decision: PublishDecision) => void = () => undefined;
    let asked = 0;
    const hooks: PublishHooks = {
      authorize: () => {
        asked++;
        return new Promise((resolve) => {
          decide = resolve;
        });
      },
    };
    const { server, logger } = serverWith(hooks);
    const port = await server.listen();
    const client = await ScriptedClient.open(port);
    try {
      await requestPublish(client, 'paused-cam');
      while (asked === 0) await new Promise((r) => setTimeout(r, 10));
      // 4 MB of bytes that are no valid chunk stream: read, they would close the connection.
      client.socket.write(new Uint8Array(4 << 20).fill(0xff));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(client.closed, false, 'nothing was read while on_publish decided');
      assert.doesNotMatch(logger.lines.join('\n'), /rtmp disconnect/);
      decide({ allow: true, name: 'paused-cam', renamed: false, record: false, reason: 'test', done: async () => undefined });
      await client.until(() => client.closed, 5000);
      const log = logger.lines.join('\n');
      assert.match(log, /publish accepted .*name=paused-cam/);
      assert.match(log, /rtmp disconnect clientid=\d+ addr=127\.0\.0\.1 reason="(invalid-chunk-header|message-too-large|too-many-chunk-streams|buffer-limit-exceeded): /);
      assert.doesNotMatch(log, /secret-in-tcurl/, 'tcUrl is logged without its query');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('refuses connections over the per-address cap at accept and frees a slot when one closes', async () => {
    const hooks: PublishHooks = { authorize: async () => ({ allow: false, reason: 'test' }) };
    const { server, logger } = serverWith(hooks, { maxConnectionsPerAddress: 2 });
    const port = await server.listen();
    const clients: ScriptedClient[] = [];
    try {
      clients.push(await ScriptedClient.open(port), await ScriptedClient.open(port));
      const third = connect(port, '127.0.0.1');
      third.on('error', () => undefined);
      const refusedAt = await new Promise<number>((resolve) => third.once('close', () => resolve(Date.now())));
      assert.ok(refusedAt > 0, 'the third connection is closed at accept');
      assert.equal(server.connectionCount('127.0.0.1'), 2);
      assert.match(logger.lines.join('\n'), /WARN {2}rtmp connections refused count=1 addr=127\.0\.0\.1 reason="2 connections from this address/);
      clients[0]!.close();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(server.connectionCount('127.0.0.1'), 1);
      clients.push(await ScriptedClient.open(port));
      assert.equal(server.connectionCount(), 2);
    } finally {
      for (const c of clients) c.close();
      await server.close();
    }
  });
});
