import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestHead, type RequestHead, type RequestHeadResult } from '../../src/http/request-head.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

// Shaped like what Chromium sends for a part from a player page on another origin (header set
// and order of its fetch requests; user-agent shortened).
const chromiumPart =
  'GET /live/cam/3f9a1c2e/part-41.m4s HTTP/1.1\r\n' +
  'Host: 127.0.0.1:8935\r\n' +
  'Connection: keep-alive\r\n' +
  'sec-ch-ua-platform: "Linux"\r\n' +
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36\r\n' +
  'Accept: */*\r\n' +
  'Origin: http://127.0.0.1:3000\r\n' +
  'Sec-Fetch-Mode: cors\r\n' +
  'Referer: http://127.0.0.1:3000/\r\n' +
  'Accept-Encoding: gzip, deflate, br, zstd\r\n' +
  'Accept-Language: en-US\r\n' +
  '\r\n';

describe('parseRequestHead: accepted heads', () => {
  const cases: Array<{ name: string; input: string; expect: Partial<RequestHead> & { headers?: Record<string, string> } }> = [
    {
      name: 'a browser request for a part',
      input: chromiumPart,
      expect: { method: 'GET', target: '/live/cam/3f9a1c2e/part-41.m4s', version: '1.1', keepAlive: true, bodyLength: 0, headLength: chromiumPart.length },
    },
    {
      name: 'blocking reload with a query, curl style',
      input: 'GET /live/cam/media.m3u8?_HLS_msn=12&_HLS_part=3 HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n',
      expect: { target: '/live/cam/media.m3u8?_HLS_msn=12&_HLS_part=3', headers: { host: 'x', 'user-agent': 'curl/7.88.1', accept: '*/*' } },
    },
    {
      name: 'field names are lowercased, values trimmed of spaces and tabs',
      input: 'GET / HTTP/1.1\r\nHOST: a\r\nRange:   \tbytes=0-99 \t\r\n\r\n',
      expect: { headers: { host: 'a', range: 'bytes=0-99' } },
    },
    {
      name: 'repeated fields are joined with ", " (RFC 9110 5.3)',
      input: 'GET / HTTP/1.1\r\nHost: a\r\nAccept: a/b\r\naccept: c/d\r\n\r\n',
      expect: { headers: { host: 'a', accept: 'a/b, c/d' } },
    },
    { name: 'Connection: close ends a 1.1 connection', input: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n', expect: { keepAlive: false } },
    { name: 'close among other options', input: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: TE, close\r\n\r\n', expect: { keepAlive: false } },
    { name: 'HTTP/1.0 without keep-alive closes (no Host needed)', input: 'GET / HTTP/1.0\r\n\r\n', expect: { version: '1.0', keepAlive: false } },
    { name: 'HTTP/1.0 with keep-alive persists', input: 'HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', expect: { method: 'HEAD', version: '1.0', keepAlive: true } },
    { name: 'a higher 1.x minor version is answered as 1.1', input: 'GET / HTTP/1.2\r\nHost: a\r\n\r\n', expect: { version: '1.1' } },
    { name: 'Content-Length frames a body to skip', input: 'POST /api/streams HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello', expect: { bodyLength: 5, headLength: 58 } },
    { name: 'equal repeated Content-Length values collapse', input: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n', expect: { bodyLength: 3 } },
    { name: 'one leading empty line is ignored (RFC 9112 2.2)', input: '\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n', expect: { target: '/x', headLength: 30 } },
    { name: 'absolute-form target', input: 'GET http://h:8935/live/a/index.m3u8 HTTP/1.1\r\nHost: h\r\n\r\n', expect: { target: 'http://h:8935/live/a/index.m3u8' } },
    { name: 'a field named __proto__ is an ordinary field', input: 'GET / HTTP/1.1\r\nHost: a\r\n__proto__: x\r\n\r\n', expect: { headers: Object.fromEntries([['host', 'a'], ['__proto__', 'x']]) } },
    { name: 'obs-text (latin1) in a value is kept', input: 'GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9\r\n\r\n', expect: { headers: { host: 'a', 'x-name': 'caf\xe9' } } },
  ];
  for (const { name, input, expect } of cases) {
    it(name, () => {
      const result = parseRequestHead(bytes(input));
      assert.equal(result.kind, 'head', JSON.stringify(result));
      if (result.kind !== 'head') return;
      const { headers, ...rest } = expect;
      for (const [key, value] of Object.entries(rest)) assert.deepEqual(result.head[key as keyof RequestHead], value, key);
      if (headers) assert.deepEqual({ ...result.head.headers }, { ...headers });
    });
  }

  it('a head followed by a pipelined request ends where the first one ends', () => {
    const first = 'GET /a HTTP/1.1\r\nHost: a\r\n\r\n';
    const result = parseRequestHead(bytes(`${first}GET /b HTTP/1.1\r\nHost: a\r\n\r\n`));
    assert.ok(result.kind === 'head');
    assert.equal(result.head.target, '/a');
    assert.equal(result.head.headLength, first.length);
  });

  it('headers without a prototype', () => {
    const result = parseRequestHead(bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
    assert.ok(result.kind === 'head');
    assert.equal(Object.getPrototypeOf(result.head.headers), null);
    assert.equal(result.head.headers.constructor, undefined);
  });
});

describe('parseRequestHead: incomplete heads wait for more bytes', () => {
  const chromium = bytes(chromiumPart);
  for (const cut of [0, 1, 3, 20, chromium.length - 3, chromium.length - 1]) {
    it(`the browser request cut at ${cut} bytes`, () => assert.deepEqual(parseRequestHead(chromium.subarray(0, cut)), { kind: 'incomplete' }));
  }
});

describe('parseRequestHead: refused heads', () => {
  const cases: Array<[string, string, RequestHeadResult]> = [
    ['two spaces in the request line', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed request line' }],
    ['no version', 'GET /\r\nHost: a\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed request line' }],
    ['a method that is not a token', 'G(T / HTTP/1.1\r\nHost: a\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed method' }],
    ['a control character in the target', 'GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed request target' }],
    ['a version that is not HTTP/d.d', 'GET / HTTP/1.10\r\nHost: a\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed HTTP version' }],
    ['HTTP/2.0 in an HTTP/1 request line', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', { kind: 'invalid', status: 505, reason: 'HTTP/2.0 not supported' }],
    ['TLS bytes on the plain port', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed request line' }],
    ['whitespace before the colon (RFC 9112 5.1)', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed header field' }],
    ['a field line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\njunk\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed header field' }],
    ['an empty field name', 'GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n', { kind: 'invalid', status: 400, reason: 'malformed header field' }],
    ['obs-fold (RFC 9112 5.2)', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n', { kind: 'invalid', status: 400, reason: 'obsolete line folding' }],
    ['NUL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n', { kind: 'invalid', status: 400, reason: 'invalid character in header value' }],
    ['a bare LF inside the head', 'GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n', { kind: 'invalid', status: 400, reason: 'invalid character in header value' }],
    ['bare LF line endings (never a complete head)', 'GET / HTTP/1.1\nHost: a\n\n', { kind: 'invalid', status: 400, reason: 'line not ended by CRLF' }],
    ['HTTP/1.1 without Host (RFC 9112 3.2)', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n', { kind: 'invalid', status: 400, reason: 'missing Host header' }],
    ['two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', { kind: 'invalid', status: 400, reason: 'more than one Host header' }],
    ['a chunked body', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n', { kind: 'invalid', status: 411, reason: 'chunked request bodies are not accepted' }],
    ['differing Content-Length values', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n', { kind: 'invalid', status: 400, reason: 'invalid Content-Length' }],
    ['a negative Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n', { kind: 'invalid', status: 400, reason: 'invalid Content-Length' }],
    ['a 16-digit Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456\r\n\r\n', { kind: 'invalid', status: 400, reason: 'invalid Content-Length' }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(parseRequestHead(bytes(input)), expected));
  }

  it('a head larger than the limit, complete or not, is 431', () => {
    const limits = { maxHeadBytes: 64, maxHeaderFields: 100 };
    const big = `GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ${'p'.repeat(60)}\r\n`;
    assert.deepEqual(parseRequestHead(bytes(big), limits), { kind: 'invalid', status: 431, reason: 'request head too large' });
    assert.deepEqual(parseRequestHead(bytes(`${big}\r\n`), limits), { kind: 'invalid', status: 431, reason: 'request head too large' });
    assert.equal(parseRequestHead(bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), limits).kind, 'head');
  });

  it('more header fields than the limit is 431', () => {
    const limits = { maxHeadBytes: 16 * 1024, maxHeaderFields: 3 };
    const head = (fields: number) => `GET / HTTP/1.1\r\nHost: a\r\n${'X: y\r\n'.repeat(fields - 1)}\r\n`;
    assert.equal(parseRequestHead(bytes(head(3)), limits).kind, 'head');
    assert.deepEqual(parseRequestHead(bytes(head(4)), limits), { kind: 'invalid', status: 431, reason: 'too many header fields' });
  });
});
