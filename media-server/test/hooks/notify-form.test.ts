import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { encodeNotifyForm, escapeArg, postNotifyForm, warmUpNotifyClient, type NotifyParams } from '../../src/hooks/notify-form.js';

// The real nginx-rtmp requests this module reproduces (captured from nginx 1.22 + libnginx-mod-rtmp),
// the same capture the web app's callback tests replay.
const fixture = readFileSync(new URL('../../../test/fixtures/nginx-rtmp-callbacks.txt', import.meta.url), 'latin1');
function fixtureRequest(n: number): string {
  const block = fixture.split(`### request #${n} `)[1] ?? '';
  const lines = block.split('\n').slice(1);
  const end = lines.findIndex((l) => l.startsWith('# parsed form'));
  return lines.slice(0, end).join('\r\n').replace(/\r\n$/, '');
}

const params = (overrides: Partial<NotifyParams> = {}): NotifyParams => ({
  app: 'live',
  flashVer: 'FMLE/3.0 (compatible; Lavf59.27',
  swfUrl: '',
  tcUrl: 'rtmp://127.0.0.1:19350/live',
  pageUrl: '',
  addr: '127.0.0.1',
  clientId: 9,
  name: 'good',
  args: 'token=abc123&x=1',
  publishType: 'live',
  ...overrides,
});

describe('nginx-rtmp notify form', () => {
  it('escapes like ngx_escape_uri(NGX_ESCAPE_ARGS)', () => {
    assert.equal(escapeArg('FMLE/3.0 (compatible; Lavf59.27'), 'FMLE/3.0%20(compatible%3B%20Lavf59.27');
    assert.equal(escapeArg('a+b&c=d?e#f%g'), 'a%2Bb%26c=d%3Fe%23f%25g');
    assert.equal(escapeArg('é\n'), '%C3%A9%0A');
  });

  it('builds the publish body nginx-rtmp sent (request #6), query args appended verbatim', () => {
    const body = fixtureRequest(6).split('\r\n\r\n')[1];
    assert.equal(encodeNotifyForm('publish', params()), body);
  });

  it('builds the publish_done body nginx-rtmp sent (request #7): no type field', () => {
    const body = fixtureRequest(7).split('\r\n\r\n')[1];
    assert.equal(encodeNotifyForm('publish_done', params()), body);
  });

  it('builds the plain publish body (request #1)', () => {
    const body = fixtureRequest(1).split('\r\n\r\n')[1];
    assert.equal(encodeNotifyForm('publish', params({ clientId: 1, args: '' })), body);
  });

  describe('on the wire', () => {
    let received = '';
    let answer = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      let data = '';
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString('latin1');
        const headEnd = data.indexOf('\r\n\r\n');
        const length = Number(/Content-Length: (\d+)/.exec(data)?.[1] ?? -1);
        if (headEnd >= 0 && data.length >= headEnd + 4 + length) {
          received = data;
          if (answer) socket.end(answer);
        }
      });
      socket.on('error', () => undefined);
    });
    let port = 0;
    before(async () => {
      await warmUpNotifyClient(); // as index.ts does at start-up: some timeouts below are short
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      port = address && typeof address === 'object' ? address.port : 0;
    });
    after(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });

    it('posts the form nginx-rtmp sent byte for byte, as a form, one request per connection', async () => {
      answer = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
      const response = await postNotifyForm(`http://127.0.0.1:${port}/on_publish?secret=s`, encodeNotifyForm('publish', params()), { timeoutMs: 2000 });
      assert.deepEqual(response, { status: 200, location: undefined, record: false });
      const [head = '', body] = received.split('\r\n\r\n');
      const [requestLine, ...headerLines] = head.split('\r\n');
      assert.match(requestLine ?? '', /^POST \/on_publish\?secret=s HTTP\/1\.[01]$/);
      const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      assert.equal(headers.get('content-type'), 'application/x-www-form-urlencoded');
      assert.equal(headers.get('connection'), 'close');
      assert.equal(headers.get('content-length'), String(Buffer.byteLength(body ?? '')));
      assert.equal(body, fixtureRequest(6).split('\r\n\r\n')[1]);
    });

    it('returns status and Location without reading an endless body', async () => {
      answer = `HTTP/1.1 302 Found\r\nLocation: renamed\r\n\r\n${'x'.repeat(1 << 20)}`;
      assert.deepEqual(await postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 }), { status: 302, location: 'renamed', record: false });
    });

    it('does not follow a redirect: the 3xx is the answer', async () => {
      answer = 'HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n\r\n';
      assert.deepEqual(await postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 }), { status: 307, location: 'http://127.0.0.1:9/elsewhere', record: false });
    });

    it('reads the record decision (X-OnAir-Record: 1; anything else is no)', async () => {
      answer = 'HTTP/1.1 200 OK\r\nX-OnAir-Record: 1\r\nContent-Length: 0\r\n\r\n';
      assert.deepEqual(await postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 }), { status: 200, location: undefined, record: true });
      answer = 'HTTP/1.1 302 Found\r\nLocation: renamed\r\nx-onair-record: 1\r\nContent-Length: 0\r\n\r\n';
      assert.deepEqual(await postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 }), { status: 302, location: 'renamed', record: true });
      for (const value of ['0', 'yes', 'true', '11']) {
        answer = `HTTP/1.1 200 OK\r\nX-OnAir-Record: ${value}\r\nContent-Length: 0\r\n\r\n`;
        assert.equal((await postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 })).record, false, value);
      }
    });

    it('rejects an endless response head', async () => {
      answer = `HTTP/1.1 200 OK\r\n${'X-Filler: y\r\n'.repeat(5000)}`;
      await assert.rejects(postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 }), (e: unknown) => (e as { code?: string }).code === 'UND_ERR_HEADERS_OVERFLOW');
    });

    it('rejects an answer that is not HTTP', async () => {
      answer = 'SSH-2.0-OpenSSH\r\n\r\n';
      await assert.rejects(postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 2000 }), (e: unknown) => e instanceof Error && e.name !== 'TimeoutError');
    });

    it('times out when the server never answers', async () => {
      answer = '';
      const started = Date.now();
      await assert.rejects(postNotifyForm(`http://127.0.0.1:${port}/x`, 'a=b', { timeoutMs: 300 }), (e: unknown) => e instanceof Error && e.name === 'TimeoutError');
      assert.ok(Date.now() - started < 2000);
    });

    it('rejects https URLs (nginx-rtmp callbacks are plain HTTP)', async () => {
      await assert.rejects(postNotifyForm('https://127.0.0.1/x', 'a=b', { timeoutMs: 300 }), /unsupported callback URL scheme/);
    });
  });
});
