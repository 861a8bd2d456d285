// Bad input closes only the offending connection, with a logged reason; the process and the
// other streams carry on. Also the idle and handshake timeouts, and the protocol-level replies
// (unknown command -> _error, wrong app, ping).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Amf0Object } from '../../src/amf/amf0.js';
import { MessageType, UserControlEvent, command } from '../../src/rtmp/messages.js';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';
import { ScriptedClient } from '../helpers/rtmp-client.js';

function rawConnection(port: number, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', () => undefined);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

describe('hostile and idle clients', () => {
  let server: MediaServerProcess;

  before(async () => {
    server = await startMediaServerProcess(['--idle-timeout', '2']);
  });

  after(async () => {
    await server?.stop();
  });

  it('closes connections that send garbage, a wrong version or a huge message, while a real stream keeps going', async () => {
    const ffmpeg = publishTestPattern({ url: server.rtmpUrl('steady'), durationSeconds: 8 });
    try {
      await server.process.waitForOutput(/publish accepted .*name=steady/);
      await rawConnection(server.rtmpPort, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await server.process.waitForOutput(/rtmp disconnect clientid=\d+ addr=127\.0\.0\.1 reason="invalid-version: handshake: unsupported RTMP version 71"/);

      const client = await ScriptedClient.open(server.rtmpPort);
      client.socket.write(Buffer.from('03000000ffffff1400000000', 'hex')); // a 16 MB command message
      await client.until(() => client.closed);
      await server.process.waitForOutput(/reason="message-too-large: message of 16777215 bytes/);

      const nested = await ScriptedClient.open(server.rtmpPort);
      const bomb = new Uint8Array(new Array(50).fill([0x0a, 0, 0, 0, 1]).flat());
      nested.send({ type: 'unsupported', typeId: MessageType.CommandAmf0, timestamp: 0, streamId: 0, payload: Buffer.concat([Buffer.from('020007636f6e6e656374003ff0000000000000', 'hex'), bomb]) });
      await nested.until(() => nested.closed);
      await server.process.waitForOutput(/reason="amf0-too-deep/);

      const res = await server.api('/api/streams');
      const body = (await res.json()) as { streams: Array<{ name: string }> };
      assert.deepEqual(body.streams.map((s) => s.name), ['steady']);
      assert.equal(await ffmpeg.exited(), 0, 'the real publisher was not disturbed');
    } finally {
      await ffmpeg.stop();
    }
  });

  it('answers unknown commands with _error and pings with a ping response, without ending the session', async () => {
    const client = await ScriptedClient.open(server.rtmpPort);
    try {
      client.send(command('connect', 1, Amf0Object.from({ app: 'live', tcUrl: 'rtmp://x/live' }), []));
      await client.until(() => client.statusCodes().includes('_result:NetConnection.Connect.Success'));
      client.send(command('noSuchCommand', 7, null, []));
      await client.until(() => client.received.some((m) => m.type === MessageType.CommandAmf0 && m.name === '_error' && m.transactionId === 7));
      client.send({ type: MessageType.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.PingRequest, value: 4242 });
      await client.until(() => client.received.some((m) => m.type === MessageType.UserControl && m.event === UserControlEvent.PingResponse && m.value === 4242));
      const codes = await client.publish('after-unknown', 'live', true);
      assert.ok(codes.includes('onStatus:NetStream.Publish.Start'), codes.join());
    } finally {
      client.close();
    }
  });

  it('rejects a connect to another application', async () => {
    const client = await ScriptedClient.open(server.rtmpPort);
    const codes = await client.publish('x', 'other');
    assert.ok(codes.includes('_error:NetConnection.Connect.Rejected'), codes.join());
    await client.until(() => client.closed);
  });

  it('rejects a stream name that could escape the HLS path', async () => {
    const client = await ScriptedClient.open(server.rtmpPort);
    const codes = await client.publish('../etc');
    assert.ok(codes.includes('onStatus:NetStream.Publish.BadName'), codes.join());
    await client.until(() => client.closed);
  });

  it('drops a publisher that sends no media for --idle-timeout', async () => {
    const client = await ScriptedClient.open(server.rtmpPort);
    const codes = await client.publish('idler');
    assert.ok(codes.includes('onStatus:NetStream.Publish.Start'), codes.join());
    const started = Date.now();
    await client.until(() => client.closed, 10_000);
    assert.ok(Date.now() - started >= 1500, 'not before the timeout');
    await server.process.waitForOutput(/unpublish clientid=\d+ name=idler reason=idle-timeout/);
  });

  it('drops a connection that stalls in the handshake', { timeout: 20_000 }, async () => {
    const started = Date.now();
    await rawConnection(server.rtmpPort, Uint8Array.of(3, 0, 0));
    assert.ok(Date.now() - started >= 1500);
    assert.match(server.process.output(), /reason="(no publish or play within 5000 ms of connecting|idle for 2000 ms without publishing)"/);
  });
});
