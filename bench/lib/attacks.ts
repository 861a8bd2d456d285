// The hostile phase's attackers: raw loopback sockets from their own address (127.0.0.0/8 is all
// loopback on Linux), so a server's per-address caps meet them at their defaults while the
// legitimate publisher and viewer on 127.0.0.1 are counted apart, as a stranger on the internet
// would be. Every attack is bounded in connections, requests and time, and closes every socket
// it opened before it returns.
import { connect, type Socket } from 'node:net';
import { Amf0Object } from '../../media-server/src/amf/amf0.js';
import { ChunkWriter } from '../../media-server/src/rtmp/chunk-writer.js';
import { MessageType, command, encodeMessage, type Message } from '../../media-server/src/rtmp/messages.js';
import { readHttpResponse } from '../../media-server/test/helpers/raw-http-client.js';
import { parseMediaPlaylist } from './playlist.js';
import { sleep } from './time.js';

export const attackerAddress = '127.0.0.3';

export interface AttackTarget {
  rtmpPort: number;
  httpPort: number;
  /** Path of a segment the server serves from its file (OnAir: older than its memory segments). */
  segmentPath: string;
  /** Path of the legit stream's media playlist. */
  playlistPath: string;
  /** True when the server holds blocking playlist reloads (LL-HLS). */
  blockingReload: boolean;
}

export interface AttackOutcome {
  /** Connections the attacker opened (connect succeeded). */
  connections: number;
  /** Of those, closed by the server before the attacker left. */
  closedByServer: number;
  /** Requests (HTTP) or messages (RTMP) written. */
  sent: number;
  /** Bytes the attacker received. */
  received: number;
  /** Responses by status (HTTP attacks that read them). */
  statuses: Record<string, number>;
}

export type AttackCase = 'none' | 'pipelined-unread' | 'rtmp-partial-messages' | 'rtmp-slow-trickle' | 'idle-http' | 'reload-flood' | 'slow-reader';

export interface AttackLimits {
  durationMs: number;
}

function outcome(): AttackOutcome {
  return { connections: 0, closedByServer: 0, sent: 0, received: 0, statuses: {} };
}

/** A raw connection from the attacker's address; resolves undefined if refused or reset before connecting. */
function open(port: number, out: AttackOutcome, leaving: { left: boolean }): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: attackerAddress });
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      out.connections += 1;
      socket.once('close', () => {
        if (!leaving.left) out.closedByServer += 1;
      });
      resolve(socket);
    });
    socket.once('close', () => resolve(undefined));
  });
}

async function openMany(port: number, count: number, out: AttackOutcome, leaving: { left: boolean }, concurrency = 100): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, () => open(port, out, leaving)));
    for (const socket of batch) if (socket) sockets.push(socket);
  }
  return sockets;
}

function leave(sockets: readonly Socket[], leaving: { left: boolean }): void {
  leaving.left = true;
  for (const socket of sockets) socket.destroy();
}

const getRequest = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

/** (a) One connection pipelining GETs of a file-served segment, never reading a byte. */
async function pipelinedUnread(target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  const out = outcome();
  const leaving = { left: false };
  const socket = await open(target.httpPort, out, leaving);
  if (!socket) return out;
  socket.pause();
  const batch = getRequest(target.segmentPath).repeat(100);
  const deadline = performance.now() + limits.durationMs;
  // At most 20000 requests, written only while our own send buffer is small (bounded here too).
  while (performance.now() < deadline && !socket.destroyed && out.sent < 20_000) {
    if (socket.writableLength < 64 * 1024) {
      socket.write(batch);
      out.sent += 100;
    }
    await sleep(50);
  }
  leave([socket], leaving);
  return out;
}

const connectCommand = command('connect', 1, Amf0Object.from({ app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0', tcUrl: 'rtmp://127.0.0.1/live' }), []);

/** C0+C1 (version 3, zero time and random bytes), waits for S0+S1+S2, then C2. */
async function rtmpHandshake(socket: Socket, deadlineMs: number): Promise<boolean> {
  let received = 0;
  const onData = (chunk: Buffer) => (received += chunk.length);
  socket.on('data', onData);
  const c0c1 = new Uint8Array(1537);
  c0c1[0] = 3;
  socket.write(c0c1);
  const deadline = performance.now() + deadlineMs;
  while (received < 3073 && !socket.destroyed && performance.now() < deadline) await sleep(10);
  socket.write(new Uint8Array(1536));
  return received >= 3073;
}

/** A type 0 chunk header: `length` bytes of message `typeId` on chunk stream `csid` (3..63). */
function chunkHeader(csid: number, length: number, typeId: number): Buffer {
  return Buffer.from([csid, 0, 0, 0, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff, typeId, 1, 0, 0, 0]);
}

function drained(socket: Socket): Promise<void> {
  if (socket.destroyed || socket.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}

/**
 * (b) 8 connections that never publish, each declaring 29 video messages of 560 kB on separate
 * chunk streams (16 MB declared) and sending 90 % of each in 64 KiB chunks: the bytes a server
 * buffers for messages in progress before anyone is authorized. Held until the time is up.
 */
async function rtmpPartialMessages(target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  const out = outcome();
  const leaving = { left: false };
  const deadline = performance.now() + limits.durationMs;
  const body = Buffer.alloc(1 << 16, 0x5a);
  const sockets: Socket[] = [];
  const attack = async () => {
    const socket = await open(target.rtmpPort, out, leaving);
    if (!socket) return;
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => (out.received += chunk.length));
    if (!(await rtmpHandshake(socket, 5_000))) return;
    const writer = new ChunkWriter();
    const send = (message: Message) => socket.write(writer.write(encodeMessage(message)));
    send(connectCommand);
    send({ type: MessageType.SetChunkSize, timestamp: 0, streamId: 0, chunkSize: 1 << 16 });
    // Chunk streams 3..31: all 29 stay under nginx-rtmp's default max_streams (32).
    for (let c = 0; c < 29 && !socket.destroyed && performance.now() < deadline; c++) {
      const length = 560_000;
      socket.write(Buffer.concat([chunkHeader(3 + c, length, MessageType.Video), body]));
      for (let sent = 1 << 16; sent + (1 << 16) < 0.9 * length && !socket.destroyed; sent += 1 << 16) socket.write(Buffer.concat([Uint8Array.of(0xc0 | (3 + c)), body]));
      out.sent += 1;
      await drained(socket);
    }
  };
  await Promise.all(Array.from({ length: 8 }, attack));
  const rest = deadline - performance.now();
  if (rest > 0) await sleep(rest);
  leave(sockets, leaving);
  return out;
}

/**
 * (c) 200 connections that send one handshake byte every 200 ms and never publish; one that the
 * server closes (or refuses) is reopened 500 ms later (at most 10000 connects in all), so the
 * attacker keeps trying to hold every slot it can for the whole attack.
 */
async function rtmpSlowTrickle(target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  const out = outcome();
  const leaving = { left: false };
  const deadline = performance.now() + limits.durationMs;
  const live = new Set<Socket>();
  let attempts = 0;
  const hold = async () => {
    while (!leaving.left && performance.now() < deadline && attempts < 10_000) {
      attempts += 1;
      const socket = await open(target.rtmpPort, out, leaving);
      if (!socket) {
        await sleep(500);
        continue;
      }
      live.add(socket);
      while (!socket.destroyed && !leaving.left && performance.now() < deadline) {
        socket.write(Uint8Array.of(3));
        out.sent += 1;
        await sleep(200);
      }
      live.delete(socket);
      await sleep(500);
    }
  };
  const holders = Array.from({ length: 200 }, hold);
  await sleep(limits.durationMs);
  leave([...live], leaving);
  await Promise.all(holders);
  return out;
}

/** (d) 2000 idle HTTP connections (nothing sent), held until the time is up. */
async function idleHttp(target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  const out = outcome();
  const leaving = { left: false };
  const deadline = performance.now() + limits.durationMs;
  const sockets = await openMany(target.httpPort, 2_000, out, leaving);
  const rest = deadline - performance.now();
  if (rest > 0) await sleep(rest);
  leave(sockets, leaving);
  return out;
}

/**
 * (e) 150 connections in a request loop on the legit stream's playlist: with blocking reload, each
 * asks for the next segment (`_HLS_msn`, held by the server) and asks again as soon as it is
 * answered (a 503 included); a server without blocking reload gets the same number of plain
 * playlist requests. A connection the server closes is reopened 100 ms later. At most 20000
 * requests per second of attack (the same total for both servers) and 30000 connects.
 */
async function reloadFlood(target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  const out = outcome();
  const leaving = { left: false };
  const deadline = performance.now() + limits.durationMs;
  const live = new Set<Socket>();
  let nextMsn: number | undefined;
  let connects = 0;
  const maxRequests = Math.ceil(limits.durationMs / 1000) * 20_000;
  const more = () => performance.now() < deadline && out.sent < maxRequests;
  const slot = async () => {
    while (more() && connects < 30_000) {
      connects += 1;
      const socket = await open(target.httpPort, out, leaving);
      if (!socket) {
        await sleep(20);
        continue;
      }
      live.add(socket);
      while (!socket.destroyed && more()) {
        const path = target.blockingReload && nextMsn !== undefined ? `${target.playlistPath}?_HLS_msn=${nextMsn}` : target.playlistPath;
        socket.write(getRequest(path));
        out.sent += 1;
        const res = await readHttpResponse(socket, Math.max(100, deadline - performance.now()));
        // No answer by the deadline: the socket stays for leave(); closed by the server: reconnect.
        if (!res && !socket.destroyed) return;
        if (!res) break;
        out.received += res.body.length;
        out.statuses[res.status] = (out.statuses[res.status] ?? 0) + 1;
        if (res.status === 200 && res.body.startsWith('#EXTM3U')) {
          const playlist = parseMediaPlaylist(res.body, `http://127.0.0.1${target.playlistPath}`);
          nextMsn = Math.max(nextMsn ?? 0, playlist.pendingMsn + 1);
        }
      }
      if (!socket.destroyed) return; // time is up: leave() closes it
      live.delete(socket);
      await sleep(100);
    }
  };
  const slots = Array.from({ length: 150 }, slot);
  const rest = deadline - performance.now();
  if (rest > 0) await sleep(rest);
  leave([...live], leaving);
  await Promise.all(slots);
  return out;
}

/**
 * (f) 50 connections each GET a file-served segment and read 1 KiB every 200 ms (5 KiB/s, never
 * quite stalled); a finished response is asked for again. Held until the time is up.
 */
async function slowReader(target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  const out = outcome();
  const leaving = { left: false };
  const deadline = performance.now() + limits.durationMs;
  const sockets = await openMany(target.httpPort, 50, out, leaving);
  const timers: NodeJS.Timeout[] = [];
  for (const socket of sockets) {
    socket.pause();
    socket.write(getRequest(target.segmentPath).repeat(4));
    out.sent += 4;
    timers.push(
      setInterval(() => {
        const chunk = socket.read(1024) as Buffer | null;
        if (chunk) out.received += chunk.length;
      }, 200),
    );
  }
  const rest = deadline - performance.now();
  if (rest > 0) await sleep(rest);
  for (const timer of timers) clearInterval(timer);
  leave(sockets, leaving);
  return out;
}

/** The control: no attacker, the same windows (how RSS and the stream drift on their own). */
async function noAttack(_target: AttackTarget, limits: AttackLimits): Promise<AttackOutcome> {
  await sleep(limits.durationMs);
  return outcome();
}

export const attacks: Record<AttackCase, { label: string; run: (target: AttackTarget, limits: AttackLimits) => Promise<AttackOutcome> }> = {
  none: { label: '(control) no attack', run: noAttack },
  'pipelined-unread': { label: '(a) 1 HTTP connection pipelining GETs of a file-served segment, never reading', run: pipelinedUnread },
  'rtmp-partial-messages': { label: '(b) 8 pre-auth RTMP connections x 29 large partial messages on separate chunk streams', run: rtmpPartialMessages },
  'rtmp-slow-trickle': { label: '(c) 200 slow-trickle RTMP connections that never publish (reconnecting)', run: rtmpSlowTrickle },
  'idle-http': { label: '(d) 2000 idle HTTP connections', run: idleHttp },
  'reload-flood': { label: '(e) 150 connections looping blocking reloads, reconnecting (nginx-rtmp: plain playlist requests)', run: reloadFlood },
  'slow-reader': { label: '(f) 50 slow readers (5 KiB/s) of a file-served segment', run: slowReader },
};

export const attackCases = Object.keys(attacks) as AttackCase[];
