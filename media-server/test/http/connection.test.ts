// HTTP/1.1 connections (connection.ts, exchange.ts) over real loopback sockets, with exact
// request bytes: keep-alive, pipelining, split heads, bodies to skip, refusals, timeouts, hang-ups.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from '../../src/http/exchange.js';
import { createHttpListener, type HttpServer } from '../../src/http/server.js';

interface RawClient {
  socket: Socket;
  /** Everything received so far, latin1. */
  text(): string;
  /** Waits until `pattern` matches the received text (or the socket closed). */
  until(pattern: RegExp, timeoutMs?: number): Promise<string>;
  closed: Promise<void>;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const waiters = new Set<() => void>();
    let isClosed = false;
    const closed = new Promise<void>((done) => socket.once('close', () => {
      isClosed = true;
      for (const waiter of waiters) waiter();
      done();
    }));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      for (const waiter of waiters) waiter();
    });
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        text: () => received,
        closed,
        until(pattern, timeoutMs = 5_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (pattern.test(received) || isClosed) {
                waiters.delete(check);
                clearTimeout(timer);
                done(received);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no ${pattern} within ${timeoutMs} ms in ${JSON.stringify(received.slice(-500))}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      }),
    );
    socket.once('error', reject);
  });
}

const responses = (text: string) => text.match(/HTTP\/1\.1 \d{3} [^\r]*\r\n/g) ?? [];
const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;

describe('http connection', () => {
  let server: HttpServer;
  let port = 0;
  const hungUp: string[] = [];

  before(async () => {
    server = createHttpListener(
      (req, res) => {
        const [path = '', query = ''] = req.url.split('?');
        const text = (res: HttpResponse, body: string) => {
          res.writeHead(200, ['Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body))]);
          res.end(req.method === 'HEAD' ? undefined : body);
        };
        if (path === '/hold') {
          res.onHangUp(() => hungUp.push(query));
          const timer = setTimeout(() => text(res, `held ${query}`), Number(query));
          res.onHangUp(() => clearTimeout(timer));
        } else if (path === '/chunks') {
          res.writeHead(200, ['Content-Length', '6']);
          res.write(Buffer.from('ab'));
          res.write(Buffer.from('cd'));
          res.end(Buffer.from('ef'));
        } else if (path === '/short') {
          res.writeHead(200, ['Content-Length', '10']);
          res.end(Buffer.from('abc'));
        } else if (path === '/no-length') {
          res.writeHead(404);
          res.end('gone');
        } else {
          text(res, `you asked for ${path}${req.headers.range === undefined ? '' : ` range ${req.headers.range}`}`);
        }
      },
      { headersTimeoutMs: 300, keepAliveTimeoutMs: 400 },
    );
    port = await server.listen(0, '127.0.0.1');
  });
  after(() => server.close());

  it('keeps a 1.1 connection open for the next request, with Date and Content-Length', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/a'));
    await client.until(/you asked for \/a/);
    client.socket.write(get('/b', 'Range: bytes=0-1\r\n'));
    const text = await client.until(/you asked for \/b range bytes=0-1/);
    assert.equal(responses(text).length, 2);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\nContent-Type: text\/plain\r\nContent-Length: 16\r\n\r\nyou asked for \/a/);
    assert.doesNotMatch(text, /Connection:/, 'a persistent 1.1 connection needs no Connection header');
    client.socket.destroy();
  });

  it('answers pipelined requests in order, the second waiting for a held first', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/hold?150') + get('/now'));
    const text = await client.until(/you asked for \/now/);
    assert.ok(text.indexOf('held 150') < text.indexOf('you asked for /now'), text);
    client.socket.destroy();
  });

  it('reads a head that arrives a byte at a time', async () => {
    const client = await rawClient(port);
    const request = get('/slow');
    for (const char of request) {
      client.socket.write(char);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.match(await client.until(/you asked for \/slow/), /200 OK/);
    client.socket.destroy();
  });

  it('skips a small request body and serves the next request after it', async () => {
    const client = await rawClient(port);
    client.socket.write('POST /first HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello');
    await client.until(/you asked for \/first/);
    client.socket.write(` world${get('/second')}`);
    const text = await client.until(/you asked for \/second/);
    assert.equal(responses(text).length, 2);
    client.socket.destroy();
  });

  it('writes a streamed body in pieces; sets Content-Length on end() when the handler gave none', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/chunks') + get('/no-length'));
    const text = await client.until(/gone$/);
    assert.match(text, /Content-Length: 6\r\n\r\nabcdef/);
    assert.match(text, /HTTP\/1\.1 404 Not Found\r\nDate: [^\r]+\r\nContent-Length: 4\r\n\r\ngone$/);
    client.socket.destroy();
  });

  it('HEAD gets the headers, Content-Length included, and no body', async () => {
    const client = await rawClient(port);
    client.socket.write(`HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n${get('/after-head')}`);
    const text = await client.until(/you asked for \/after-head/);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 16\r\n\r\nHTTP\/1\.1 200 OK/);
    client.socket.destroy();
  });

  it('HTTP/1.0 without keep-alive: Connection: close, then the server closes', async () => {
    const client = await rawClient(port);
    client.socket.write('GET /old HTTP/1.0\r\n\r\n');
    await client.closed;
    assert.match(client.text(), /Connection: close\r\n\r\nyou asked for \/old$/);
  });

  it('HTTP/1.0 with keep-alive is told keep-alive and stays open', async () => {
    const client = await rawClient(port);
    client.socket.write('GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /again HTTP/1.0\r\n\r\n');
    await client.closed;
    assert.match(client.text(), /Connection: keep-alive\r\n\r\nyou asked for \/oldHTTP\/1\.1 200 OK[^]*Connection: close\r\n\r\nyou asked for \/again$/);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['a malformed request line', 'GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n', /^HTTP\/1\.1 400 Bad Request\r\n[^]*Connection: close\r\n\r\nmalformed request line\n$/],
    ['TLS on the plain port', '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n', /^HTTP\/1\.1 400 Bad Request/],
    ['a chunked upload', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /^HTTP\/1\.1 411 Length Required/],
    ['a body over 64 KiB', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 70000\r\n\r\n', /^HTTP\/1\.1 413 Content Too Large[^]*request body too large\n$/],
    ['HTTP/2 prior knowledge', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /^HTTP\/1\.1 505 HTTP Version Not Supported/],
  ];
  for (const [name, request, expected] of refusals) {
    it(`refuses ${name} and closes`, async () => {
      const client = await rawClient(port);
      client.socket.write(Buffer.from(request, 'latin1'));
      await client.closed;
      assert.match(client.text(), expected);
    });
  }

  it('a request after a refused one on the same bytes is never answered', async () => {
    const client = await rawClient(port);
    client.socket.write(`GET / HTTP/1.1\r\n\r\n${get('/smuggled')}`);
    await client.closed;
    assert.equal(responses(client.text()).length, 1);
    assert.doesNotMatch(client.text(), /smuggled/);
  });

  it('a head that does not complete in time gets 408 (slow-loris clients)', async () => {
    const client = await rawClient(port);
    client.socket.write('GET / HTTP/1.1\r\nHost: t\r\n');
    const trickle = setInterval(() => client.socket.write('X: y\r\n'), 100);
    await client.closed;
    clearInterval(trickle);
    assert.match(client.text(), /^HTTP\/1\.1 408 Request Timeout[^]*request head took too long\n$/);
  });

  it('an idle keep-alive connection is closed', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/idle'));
    await client.until(/you asked for \/idle/);
    const t0 = Date.now();
    await client.closed;
    assert.ok(Date.now() - t0 >= 300, `closed after ${Date.now() - t0} ms`);
  });

  it('a held request is not timed out by the idle timer, and learns of a hang-up', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/hold?600'));
    assert.match(await client.until(/held 600/, 3_000), /200 OK/);
    const other = await rawClient(port);
    other.socket.write(get('/hold?5000'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    other.socket.destroy();
    for (let i = 0; i < 50 && !hungUp.includes('5000'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(hungUp.includes('5000'), 'onHangUp ran');
    assert.ok(!hungUp.includes('600'), 'a response that ended never hangs up');
    client.socket.destroy();
  });

  it('a client that half-closes is gone: its held request hangs up', async () => {
    const client = await rawClient(port);
    client.socket.end(get('/hold?4000'));
    await client.closed;
    for (let i = 0; i < 50 && !hungUp.includes('4000'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(hungUp.includes('4000'));
  });

  it('a body shorter than its Content-Length drops the connection rather than desynchronise it', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/short') + get('/next'));
    await client.closed;
    assert.doesNotMatch(client.text(), /you asked for \/next/);
  });
});
