// The RTMP listener under attack, with the default limits, while a real ffmpeg stream is live.
// The media server runs as a child process so its RSS can be read from /proc. Every case asserts:
// the server survives (and answers /healthz), the legitimate stream's LL-HLS playlist keeps
// advancing during the attack, the server's RSS stays within 50 MB of where it started during
// the attack and comes back afterwards, and the attackers' connections are closed by the server.
//
// Attackers come from their own loopback addresses (127.0.0.0/8 is all loopback on Linux), so
// the per-address cap of one case does not limit the next, and the legitimate publisher on
// 127.0.0.1 shares its address with nobody.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Amf0Object } from '../../src/amf/amf0.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { MessageType, command, encodeMessage, type Message } from '../../src/rtmp/messages.js';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import type { ManagedProcess } from '../helpers/process.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';

const MB = 1 << 20;
const rssBudget = 50 * MB;

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw TCP connection from `localAddress`, recording when the server closed it. */
class Attacker {
  closed = false;
  received = 0;
  private readonly writer = new ChunkWriter();
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, localAddress: string): Promise<Attacker> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress });
      const attacker = new Attacker(socket);
      // Refused at accept counts as open-then-closed: the caller checks `closed`.
      socket.once('connect', () => resolve(attacker));
      socket.once('close', () => resolve(attacker));
    });
  }

  /** C0+C1, waits for S0+S1+S2, then C2. */
  async handshake(): Promise<void> {
    const c0c1 = new Uint8Array(1537);
    c0c1[0] = 3;
    this.write(c0c1);
    await until(() => this.received >= 3073 || this.closed, 5000);
    this.write(new Uint8Array(1536));
  }

  /** Resolves once what was written has left for the kernel (or the connection is gone). */
  drained(): Promise<void> {
    if (this.closed || this.socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes);
  }

  send(message: Message): void {
    this.write(this.writer.write(encodeMessage(message)));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** A type 0 chunk header: `length` bytes of message `typeId` on chunk stream `csid` (3..63). */
function chunkHeader(csid: number, length: number, typeId: number): Uint8Array {
  return Buffer.from([csid, 0, 0, 0, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff, typeId, 1, 0, 0, 0]);
}

function randomBytes(n: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

const connectCommand = command('connect', 1, Amf0Object.from({ app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0', tcUrl: 'rtmp://127.0.0.1/live' }), []);

describe('hostile RTMP clients against the default limits, beside a live ffmpeg stream', { timeout: 150_000 }, () => {
  let server: MediaServerProcess;
  let legit: ManagedProcess;
  let baseline = 0;
  let nextAddress = 10;
  const address = () => `127.0.0.${nextAddress++}`;

  /** The newest part index the legit stream's media playlist announces (its preload hint). */
  async function liveEdge(): Promise<number> {
    const res = await fetch(server.httpUrl('/live/legit/media.m3u8'));
    const text = await res.text();
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="[^"]*part-(\d+)\.m4s"/.exec(text);
    assert.ok(res.status === 200 && hint, `legit playlist (${res.status}):\n${text}`);
    return Number(hint[1]);
  }

  /**
   * Runs one attack: samples RSS every 50 ms while it runs, then checks the server, the stream,
   * the RSS peak and the RSS after the attackers are gone.
   */
  async function underAttack(name: string, attack: () => Promise<void>): Promise<void> {
    const edgeBefore = await liveEdge();
    let peak = rssOf(server.process.pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(server.process.pid));
    }, 50);
    try {
      await attack();
      // Give the stream one more part interval to show it still moves.
      await sleep(400);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssOf(server.process.pid));
    const edgeAfter = await liveEdge();
    assert.ok(edgeAfter > edgeBefore, `${name}: the legit playlist did not advance (part ${edgeBefore} -> ${edgeAfter})`);
    const health = await fetch(server.httpUrl('/healthz'));
    await health.arrayBuffer();
    assert.equal(health.status, 200, `${name}: /healthz`);
    assert.ok(peak - baseline < rssBudget, `${name}: RSS peaked ${((peak - baseline) / MB).toFixed(1)} MB over the ${(baseline / MB).toFixed(1)} MB baseline`);
    const settled = await until(() => rssOf(server.process.pid) - baseline < rssBudget / 2, 5000);
    assert.ok(settled, `${name}: RSS stayed ${((rssOf(server.process.pid) - baseline) / MB).toFixed(1)} MB over the baseline after the attack`);
    console.log(`hostile-rtmp ${name}: RSS peak +${((peak - baseline) / MB).toFixed(1)} MB, after +${((rssOf(server.process.pid) - baseline) / MB).toFixed(1)} MB, live edge part ${edgeBefore} -> ${edgeAfter}`);
  }

  async function allClosed(attackers: Attacker[], timeoutMs: number, what: string): Promise<void> {
    const ok = await until(() => attackers.every((a) => a.closed), timeoutMs);
    for (const a of attackers) a.destroy();
    assert.ok(ok, `${what}: ${attackers.filter((a) => !a.closed).length} of ${attackers.length} connections still open after ${timeoutMs} ms`);
  }

  before(async () => {
    server = await startMediaServerProcess([]);
    legit = publishTestPattern({ url: server.rtmpUrl('legit') });
    await server.process.waitForOutput(/publish accepted .*name=legit/, 20_000);
    const started = Date.now();
    while ((await liveEdge().catch(() => 0)) < 10 && Date.now() - started < 15_000) await sleep(200);
    await sleep(1000);
    baseline = rssOf(server.process.pid);
  });

  after(async () => {
    await legit?.stop();
    await server?.stop();
  });

  it('handshake garbage: wrong versions, random C1s, truncated handshakes', async () => {
    await underAttack('handshake garbage', async () => {
      const attackers: Attacker[] = [];
      for (let i = 0; i < 30; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        attackers.push(a);
        if (i % 3 === 0) a.write(randomBytes(4096, i + 1)); // version byte almost never 3
        else if (i % 3 === 1) a.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
        else a.write(Buffer.concat([Uint8Array.of(3), randomBytes(1536 + 1536 + 2000, i + 7)])); // valid C0, random C1/C2, chunk garbage
      }
      await allClosed(attackers, 8000, 'handshake garbage');
    });
  });

  it('chunk garbage after a valid handshake', async () => {
    await underAttack('chunk garbage', async () => {
      const attackers: Attacker[] = [];
      for (let i = 0; i < 9; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        a.write(randomBytes(64 * 1024, 1000 + i));
        attackers.push(a);
      }
      await allClosed(attackers, 8000, 'chunk garbage');
    });
  });

  it('huge length claims: 16 MB command and video messages declared before publish', async () => {
    await underAttack('huge length claims', async () => {
      const attackers: Attacker[] = [];
      for (let i = 0; i < 9; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        a.write(Buffer.concat([chunkHeader(3 + i, 0xffffff, i % 2 ? MessageType.Video : MessageType.CommandAmf0), randomBytes(128, i)]));
        attackers.push(a);
      }
      await allClosed(attackers, 3000, 'huge length claims');
      assert.match(server.process.output(), /reason="message-too-large: message of 16777215 bytes/);
    });
  });

  it('many chunk streams: 60 small messages in progress on separate chunk streams', async () => {
    await underAttack('many chunk streams', async () => {
      const attackers: Attacker[] = [];
      for (let i = 0; i < 9; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        a.send(connectCommand);
        // Each message declares 200 bytes and sends the first 128-byte chunk.
        a.write(Buffer.concat(Array.from({ length: 60 }, (_, c) => Buffer.concat([chunkHeader(4 + c, 200, MessageType.CommandAmf0), new Uint8Array(128)]))));
        attackers.push(a);
      }
      await allClosed(attackers, 3000, 'many chunk streams');
      assert.match(server.process.output(), /reason="(too-many-chunk-streams|buffer-limit-exceeded): /);
    });
  });

  it('AMF0 nesting bombs in connect: deep objects, deep arrays, long strings', async () => {
    await underAttack('AMF0 bombs', async () => {
      const attackers: Attacker[] = [];
      const prefix = Buffer.from('020007636f6e6e656374003ff0000000000000', 'hex'); // "connect", 1
      const bombs = [
        Buffer.from(new Array(700).fill([0x03, 0x00, 0x01, 0x61]).flat()), // object { a: object { a: ... } }
        Buffer.from(new Array(700).fill([0x0a, 0x00, 0x00, 0x00, 0x01]).flat()), // strict array [ [ [ ... ] ] ]
        Buffer.from(new Array(700).fill([0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x61]).flat()), // ECMA array
        Buffer.concat([Buffer.from('0c7fffffff', 'hex'), randomBytes(3000, 5)]), // a 2 GB long string claim
      ];
      for (let i = 0; i < 8; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        const bomb = Buffer.concat([prefix, bombs[i % bombs.length]!]).subarray(0, 4000);
        a.send({ type: 'unsupported', typeId: MessageType.CommandAmf0, timestamp: 0, streamId: 0, payload: bomb });
        attackers.push(a);
      }
      await allClosed(attackers, 3000, 'AMF0 bombs');
      assert.match(server.process.output(), /reason="amf0-too-deep: /);
    });
  });

  it('many pre-auth connections holding partial messages: 8 x 29 large messages on separate chunk streams (the +134 MB case)', async () => {
    await underAttack('partial messages', async () => {
      const attack = async (i: number): Promise<Attacker> => {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        a.send(connectCommand);
        // 29 video messages of 560 kB each (16.2 MB declared), 90 % of each sent in 64 KiB chunks, none completed.
        a.send({ type: MessageType.SetChunkSize, timestamp: 0, streamId: 0, chunkSize: 1 << 16 });
        const body = randomBytes(1 << 16, i + 99);
        for (let c = 0; c < 29 && !a.closed; c++) {
          const length = 560_000;
          a.write(Buffer.concat([chunkHeader(4 + c, length, MessageType.Video), body]));
          for (let sent = 1 << 16; sent + (1 << 16) < 0.9 * length && !a.closed; sent += 1 << 16) a.write(Buffer.concat([Uint8Array.of(0xc0 | (4 + c)), body]));
          await a.drained();
        }
        return a;
      };
      const attackers = await Promise.all(Array.from({ length: 8 }, (_, i) => attack(i)));
      await allClosed(attackers, 3000, 'partial messages');
      // And within the limits: 9 connections each holding the most it may (4 x 4 KiB partial commands).
      const holders: Attacker[] = [];
      const from = address();
      for (let i = 0; i < 9; i++) {
        const a = await Attacker.open(server.rtmpPort, from);
        await a.handshake();
        a.write(Buffer.concat([4, 5, 6, 7].map((c) => Buffer.concat([chunkHeader(c, 4096, MessageType.CommandAmf0), new Uint8Array(128)]))));
        holders.push(a);
      }
      await sleep(500);
      assert.equal(holders.filter((a) => a.closed).length, 0, 'connections within the limits stay until the auth deadline');
      for (const a of holders) a.destroy();
    });
  });

  it('slow trickle: connections that send a byte now and then and never publish are closed at the auth deadline', async () => {
    await underAttack('slow trickle', async () => {
      const started = Date.now();
      const attackers: Attacker[] = [];
      for (let i = 0; i < 9; i++) attackers.push(await Attacker.open(server.rtmpPort, address()));
      // One byte of C0C1 every 200 ms: never idle, never done.
      const trickle = setInterval(() => {
        for (const a of attackers) a.write(Uint8Array.of(3));
      }, 200);
      try {
        await allClosed(attackers, 9000, 'slow trickle');
      } finally {
        clearInterval(trickle);
      }
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 4500 && elapsed < 8500, `closed after ${elapsed} ms (auth deadline 5000 ms)`);
      assert.match(server.process.output(), /reason="no publish or play within 5000 ms of connecting"/);
    });
  });

  it('a per-address flood over the cap is refused at accept; other addresses still get in', async () => {
    await underAttack('per-address flood', async () => {
      const from = address();
      const attackers = await Promise.all(Array.from({ length: 200 }, () => Attacker.open(server.rtmpPort, from)));
      // The refusals are accepted and closed one by one: on a loaded machine that takes a while.
      const openCount = () => attackers.filter((a) => !a.closed).length;
      for (const deadline = Date.now() + 5000; openCount() > 10 && Date.now() < deadline; ) await sleep(50);
      await sleep(200);
      const open = openCount();
      assert.equal(open, 10, `${open} connections from one address stayed open (cap 10)`);
      // Another address publishes while the flood holds its slots.
      const other = await Attacker.open(server.rtmpPort, address());
      await other.handshake();
      other.send(connectCommand);
      other.send(command('createStream', 2, null, []));
      other.send(command('publish', 3, null, ['flood-bystander', 'live'], 1));
      await server.process.waitForOutput(/publish accepted .*name=flood-bystander/, 5000);
      other.destroy();
      for (const a of attackers) a.destroy();
      assert.match(server.process.output(), /rtmp connections refused count=\d+ addr=127\.0\.0\.\d+ reason="10 connections from this address/);
    });
  });

  it('audio, video and data before publish is accepted close the connection', async () => {
    await underAttack('media before publish', async () => {
      const attackers: Attacker[] = [];
      const messages: Message[] = [
        { type: MessageType.Video, timestamp: 0, streamId: 1, payload: Buffer.concat([Buffer.from('1701000000', 'hex'), new Uint8Array(3000)]) },
        { type: MessageType.Audio, timestamp: 0, streamId: 1, payload: Buffer.from('af01aabb', 'hex') },
        { type: MessageType.DataAmf0, timestamp: 0, streamId: 1, values: ['@setDataFrame', 'onMetaData'] },
      ];
      for (let i = 0; i < 9; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        if (i % 2) a.send(connectCommand);
        a.send(messages[i % messages.length]!);
        attackers.push(a);
      }
      await allClosed(attackers, 3000, 'media before publish');
      assert.match(server.process.output(), /reason="media-before-publish: message type 9 /);
    });
  });

  it('after the publish is accepted: a message over 8 MiB and a 17th chunk stream still close the connection', async () => {
    await underAttack('accepted publisher over the limits', async () => {
      const attackers: Attacker[] = [];
      for (let i = 0; i < 2; i++) {
        const a = await Attacker.open(server.rtmpPort, address());
        await a.handshake();
        a.send(connectCommand);
        a.send(command('createStream', 2, null, []));
        a.send(command('publish', 3, null, [`over-limits-${i}`, 'live'], 1));
        await server.process.waitForOutput(new RegExp(`publish accepted .*name=over-limits-${i}`), 5000);
        if (i === 0) a.write(Buffer.concat([chunkHeader(6, (8 << 20) + 1, MessageType.Video), new Uint8Array(128)]));
        else a.write(Buffer.concat(Array.from({ length: 17 }, (_, c) => Buffer.concat([chunkHeader(10 + c, 1, MessageType.Video), new Uint8Array(1)]))));
        attackers.push(a);
      }
      await allClosed(attackers, 3000, 'accepted publisher over the limits');
      assert.match(server.process.output(), /reason="message-too-large: message of 8388609 bytes \(type 9\) exceeds limit 8388608"/);
      assert.match(server.process.output(), /reason="too-many-chunk-streams: more than 16 chunk streams in use"/);
    });
  });

  it('the legitimate stream ran throughout', async () => {
    assert.equal(server.process.child.exitCode, null, 'media server still running');
    assert.equal(legit.child.exitCode, null, `ffmpeg still publishing:\n${legit.output()}`);
    assert.doesNotMatch(server.process.output(), /unpublish clientid=\d+ name=legit/);
  });
});
