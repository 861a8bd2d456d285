// The HTTP port under attack, on the real server process with one real ffmpeg-published live
// stream. Attackers come from 127.0.0.1; the legitimate viewer from 127.0.0.2 (its own address,
// as a real viewer is). Each case checks the server survives, the live stream keeps advancing
// for the viewer, and the server's RSS stays bounded during the attack and comes back after.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';
import type { ManagedProcess } from '../helpers/process.js';

const viewerAddress = '127.0.0.2';
const attackerAddress = '127.0.0.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string, options: { localAddress?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress: options.localAddress ?? viewerAddress, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function rawConnect(port: number, localAddress = attackerAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true when the socket closes within `ms` (reading whatever arrives meanwhile). */
function closesWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, 'VmRSS readable');
  return Number(match[1]) / 1024;
}

interface Edge {
  msn: number;
  parts: number;
  text: string;
}

function parseEdge(text: string): Edge {
  const sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? NaN);
  const segments = text.match(/#EXTINF/g)?.length ?? 0;
  const parts = text.match(/#EXT-X-PART:/g)?.length ?? 0;
  return { msn: sequence + segments, parts, text };
}

describe('hostile HTTP clients', { timeout: 120_000 }, () => {
  let server: MediaServerProcess;
  let ffmpeg: ManagedProcess;
  let port = 0;
  let baselineMb = 0;

  async function playlist(): Promise<Edge> {
    const res = await get(port, '/live/cam/media.m3u8');
    assert.equal(res.status, 200, 'the viewer gets its playlist');
    return parseEdge(res.body.toString());
  }

  /** A segment listed in the playlist and no longer in memory: served from its file. */
  async function fileServedSegment(): Promise<{ path: string; size: number }> {
    const { text } = await playlist();
    const first = /^(\w+\/seg-\d+\.m4s)$/m.exec(text)?.[1];
    assert.ok(first, `a listed segment:\n${text}`);
    const res = await get(port, `/live/cam/${first}`);
    assert.equal(res.status, 200);
    return { path: `/live/cam/${first}`, size: res.body.length };
  }

  /**
   * Runs `attack` while sampling the server's RSS and the viewer's playlist; asserts the stream
   * advanced during it, RSS stayed under baseline + `peakMb`, and came back to baseline + 50 MB.
   */
  async function underAttack(attack: () => Promise<void>, peakMb = 100): Promise<void> {
    const start = await playlist();
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, rssMb(server.process.pid));
        await sleep(100);
      }
    })();
    try {
      await attack();
    } finally {
      sampling = false;
      await sampler;
    }
    await sleep(1200);
    const end = await playlist();
    assert.ok(end.msn > start.msn || (end.msn === start.msn && end.parts > start.parts), `stream advanced: ${start.msn}/${start.parts} -> ${end.msn}/${end.parts}`);
    assert.ok(peak < baselineMb + peakMb, `peak RSS ${peak.toFixed(1)} MB within ${peakMb} MB of ${baselineMb.toFixed(1)} MB`);
    let now = rssMb(server.process.pid);
    for (let i = 0; i < 30 && now > baselineMb + 50; i++) {
      await sleep(200);
      now = rssMb(server.process.pid);
    }
    assert.ok(now < baselineMb + 50, `RSS back to ${now.toFixed(1)} MB (baseline ${baselineMb.toFixed(1)} MB)`);
    assert.equal(server.process.child.exitCode, null, 'server still running');
  }

  before(async () => {
    server = await startMediaServerProcess([
      '--segment-duration-ms', '1000',
      '--hls-memory-segments', '1',
      '--http-max-connections', '2200',
      '--http-max-connections-per-address', '1500',
      '--http-write-stall-timeout-ms', '1500',
      '--http-headers-timeout-ms', '4000',
      '--hls-max-held-per-address', '8',
      '--hls-max-held-per-stream', '100',
      '--hls-file-read-budget-mb', '16',
    ]);
    port = server.httpPort;
    ffmpeg = publishTestPattern({ url: server.rtmpUrl('cam'), size: '640x360', extraOutputArgs: ['-b:v', '1500k', '-maxrate', '1500k', '-bufsize', '1500k'] });
    for (let i = 0; i < 100; i++) {
      const res = await get(port, '/live/cam/media.m3u8').catch(() => undefined);
      if (res?.status === 200 && (res.body.toString().match(/#EXTINF/g)?.length ?? 0) >= 4) break;
      await sleep(200);
    }
    baselineMb = rssMb(server.process.pid);
  });

  after(async () => {
    await ffmpeg?.stop();
    await server?.stop();
  });

  it('pipelined GETs of a file-served segment that are never read: dropped, memory flat', async () => {
    const segment = await fileServedSegment();
    await underAttack(async () => {
      const sockets: Socket[] = [];
      for (let c = 0; c < 4; c++) {
        const socket = await rawConnect(port);
        socket.pause();
        socket.on('error', () => undefined);
        socket.write(`GET ${segment.path} HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(5000));
        sockets.push(socket);
      }
      await sleep(3000);
      for (const socket of sockets) assert.ok(await closesWithin(socket, 3000), 'a client pipelining past the cap is dropped');
    });
  });

  it('pipelined under the cap, never read: the write-stall timeout drops it', async () => {
    const segment = await fileServedSegment();
    await underAttack(async () => {
      // Requests go in small batches (each under the pipelining cap) until the kernel's socket
      // buffers are full: from then on the server's writes make no progress.
      const sockets: Socket[] = [];
      for (let c = 0; c < 4; c++) {
        const socket = await rawConnect(port);
        socket.pause();
        socket.on('error', () => undefined);
        sockets.push(socket);
      }
      for (let batch = 0; batch < 20; batch++) {
        for (const socket of sockets) if (socket.writable) socket.write(`GET ${segment.path} HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(4));
        await sleep(150);
      }
      // Stall timeout 1.5 s, checked a few times a second.
      await sleep(4000);
      let received = 0;
      for (const socket of sockets) {
        socket.on('data', (chunk: Buffer) => (received += chunk.length));
        assert.ok(await closesWithin(socket, 3000), 'a stalled reader is dropped');
      }
      assert.ok(received < 4 * 20 * 4 * segment.size, `not every response was delivered (${received} bytes)`);
    });
  });

  it('hundreds of connections each fetching a file-served segment, none reading: bounded by the read budget', async () => {
    const segment = await fileServedSegment();
    await underAttack(async () => {
      const settled = await Promise.allSettled(Array.from({ length: 600 }, () => rawConnect(port)));
      const sockets = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      for (const socket of sockets) {
        socket.pause();
        socket.on('error', () => undefined);
        socket.write(`GET ${segment.path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      }
      await sleep(2500);
      for (const socket of sockets) socket.destroy();
    });
  });

  it('thousands of idle connections: the per-address cap refuses the extra ones, the viewer is served, head timeout closes the rest', async () => {
    await underAttack(async () => {
      const settled = await Promise.allSettled(Array.from({ length: 2000 }, () => rawConnect(port)));
      const sockets = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      for (const socket of sockets) socket.on('error', () => undefined);
      await sleep(500);
      const open = sockets.filter((s) => !s.destroyed && s.readyState === 'open');
      const refused = 2000 - open.length;
      assert.ok(refused >= 450, `at least 450 of 2000 refused (per-address cap 1500), got ${refused}`);
      // The viewer on its own address still gets its playlist while 1500 sockets sit idle.
      await playlist();
      const closed = await Promise.all(open.map((s) => closesWithin(s, 8000)));
      assert.equal(closed.filter((c) => !c).length, 0, 'idle connections closed by the head timeout');
    });
  });

  it('blocking-reload flood (forged X-Forwarded-For does not help) and far-future _HLS_msn', async () => {
    await underAttack(async () => {
      const edge = await playlist();
      const answers = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          get(port, `/live/cam/media.m3u8?_HLS_msn=${edge.msn + 1}&_HLS_part=0`, { localAddress: attackerAddress, headers: { 'X-Forwarded-For': `198.51.100.${i % 250}` } }).catch(() => undefined),
        ),
      );
      const statuses = answers.map((a) => a?.status ?? 0);
      const refused = statuses.filter((s) => s === 503).length;
      assert.ok(refused >= 150 - 8, `all but 8 held requests refused with 503, got ${refused}: ${statuses.join(',')}`);
      assert.ok(answers.some((a) => a?.status === 503 && a.headers['retry-after'] === '1'));
      for (const query of [`_HLS_msn=${edge.msn + 50}`, '_HLS_msn=999999999999999', `_HLS_msn=${edge.msn + 1}&_HLS_part=1000`, '_HLS_msn=99999999999999999999', '_HLS_msn=-1', '_HLS_part=1']) {
        const res = await get(port, `/live/cam/media.m3u8?${query}`, { localAddress: attackerAddress });
        assert.equal(res.status, 400, query);
      }
    });
  });

  it('range abuse: many, huge, negative, overflowing and suffix ranges on a file-served segment', async () => {
    const segment = await fileServedSegment();
    const cases: Array<[string, number, number | undefined]> = [
      ['bytes=0-0', 206, 1],
      [`bytes=0-${'9'.repeat(40)}`, 206, segment.size],
      ['bytes=99999999999999999999-', 416, 0],
      [`bytes=-${'9'.repeat(30)}`, 206, segment.size],
      ['bytes=-1', 206, 1],
      ['bytes=-0', 416, 0],
      ['bytes=5-2', 416, 0],
      ['bytes=-5-10', 200, segment.size],
      ['bytes=0-1,2-3', 200, segment.size],
      [`bytes=${Array.from({ length: 700 }, (_, i) => `${i}-${i}`).join(',')}`, 200, segment.size],
      ['bytes=0x10-0x20', 200, segment.size],
      ['items=0-10', 200, segment.size],
    ];
    await underAttack(async () => {
      for (const [range, status, length] of cases) {
        const res = await get(port, segment.path, { localAddress: attackerAddress, headers: { Range: range } });
        assert.equal(res.status, status, range.slice(0, 60));
        if (length !== undefined) assert.equal(res.body.length, length, range.slice(0, 60));
        assert.equal(Number(res.headers['content-length'] ?? 0), res.body.length);
      }
      // A hundred whole-file suffix ranges at once: served, or 503 past the read budget (16 MiB here).
      const all = await Promise.all(Array.from({ length: 100 }, () => get(port, segment.path, { localAddress: attackerAddress, headers: { Range: 'bytes=-999999999' } }).catch(() => undefined)));
      const statuses = all.map((a) => a?.status ?? 0);
      assert.ok(statuses.every((s) => s === 206 || s === 503), statuses.join(','));
      assert.ok(statuses.filter((s) => s === 206).length >= 40, statuses.join(','));
    });
  });

  it('header bombs, bodies and slow heads: 431/413/400 or a closed connection, never a held resource', async () => {
    await underAttack(async () => {
      const bomb = await get(port, '/live/cam/media.m3u8', { localAddress: attackerAddress, headers: { 'X-Bomb': 'a'.repeat(20_000) } }).catch(() => undefined);
      assert.ok(bomb === undefined || bomb.status === 431, `a 20 KB header: ${bomb?.status}`);
      const many = await get(port, '/live/cam/media.m3u8', { localAddress: attackerAddress, headers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-h${i}`, 'v'])) }).catch(() => undefined);
      assert.ok(many === undefined || many.status === 431, `2000 headers: ${many?.status}`);
      // Many connections each pushing an endless header line.
      const sockets: Socket[] = [];
      for (let c = 0; c < 300; c++) {
        const socket = await rawConnect(port);
        socket.on('error', () => undefined);
        socket.write(`GET /live/cam/media.m3u8 HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(6000)}`);
        socket.write('b'.repeat(60_000));
        sockets.push(socket);
      }
      const closed = await Promise.all(sockets.map((s) => closesWithin(s, 5000)));
      assert.equal(closed.filter((c) => !c).length, 0, 'oversized heads are closed');
      // A body: refused, connection closed.
      const body = await rawConnect(port);
      body.write(`POST /live/cam/media.m3u8 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n${'z'.repeat(65_536)}`);
      const answer: Buffer[] = [];
      body.on('data', (c: Buffer) => answer.push(c));
      assert.ok(await closesWithin(body, 5000));
      assert.match(Buffer.concat(answer).toString(), /^HTTP\/1\.1 413/);
      // Slow-loris: a head trickling in a byte at a time is cut off by the head timeout.
      const slow = await rawConnect(port);
      slow.on('error', () => undefined);
      const trickle = setInterval(() => slow.writable && slow.write('X'), 200);
      slow.write('GET /live/cam/media.m3u8 HTTP/1.1\r\nX-Slow: ');
      try {
        assert.ok(await closesWithin(slow, 9000), 'a trickling head is closed');
      } finally {
        clearInterval(trickle);
      }
    });
  });
});
