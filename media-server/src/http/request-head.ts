// An HTTP/1.x request head (request-line and header section, RFC 9112 2-5), parsed from the
// bytes received so far: sans-I/O, so the connection code only moves bytes and every rule here is
// tested from literal requests (test/http/request-head.test.ts).
//
// The media server only answers GET, HEAD and OPTIONS; a request body is never used. The parser
// still reads its framing, because the next request on the connection starts after it.

export interface RequestHead {
  /** As sent: RFC 9110 9.1 "The method token is case-sensitive". */
  readonly method: string;
  /** The request-target as sent (origin-form or absolute-form; see request-target.ts). */
  readonly target: string;
  readonly version: '1.0' | '1.1';
  /** Field names lowercased; a repeated field's values joined with ", " (RFC 9110 5.3). */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the connection stays open after the response (RFC 9112 9.3). */
  readonly keepAlive: boolean;
  /** Length of the body that follows the head (Content-Length; 0 without one). */
  readonly bodyLength: number;
  /** Bytes the head took, including the empty line that ends it. */
  readonly headLength: number;
}

export interface RequestHeadLimits {
  /** Largest head accepted (Node's default is 16 KiB too). */
  readonly maxHeadBytes: number;
  readonly maxHeaderFields: number;
}

export const defaultRequestHeadLimits: RequestHeadLimits = { maxHeadBytes: 16 * 1024, maxHeaderFields: 100 };

export type RequestHeadResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'invalid'; readonly status: 400 | 411 | 431 | 505; readonly reason: string }
  | { readonly kind: 'head'; readonly head: RequestHead };

const incomplete: RequestHeadResult = { kind: 'incomplete' };

function invalid(status: 400 | 411 | 431 | 505, reason: string): RequestHeadResult {
  return { kind: 'invalid', status, reason };
}

// RFC 9110 5.6.2: token = 1*tchar.
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9112 3.2: request-target is visible ASCII (no spaces, no controls).
const targetPattern = /^[\x21-\x7e]+$/;
const versionPattern = /^HTTP\/(\d)\.(\d)$/;
// RFC 9110 5.5: field-value is VCHAR, SP, HTAB and obs-text; CR, LF and NUL are never allowed.
const fieldValuePattern = /^[\t\x20-\x7e\x80-\xff]*$/;
const contentLengthPattern = /^\d{1,15}$/;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Parses the head at the start of `bytes`. 'incomplete' means: wait for more bytes (never
 * returned once `maxHeadBytes` are buffered without a complete head: that is 431).
 */
export function parseRequestHead(bytes: Buffer, limits: RequestHeadLimits = defaultRequestHeadLimits): RequestHeadResult {
  // RFC 9112 2.2: "a server that is expecting to receive and parse a request-line SHOULD ignore
  // at least one empty line (CRLF) received prior to the request-line".
  let start = 0;
  while (start + 1 < bytes.length && bytes[start] === CR && bytes[start + 1] === LF && start < 4) start += 2;
  const end = bytes.indexOf('\r\n\r\n', start, 'latin1');
  if (end === -1) {
    if (bytes.length - start > limits.maxHeadBytes) return invalid(431, 'request head too large');
    // A bare LF line ending would otherwise leave us waiting for a CRLFCRLF that never comes.
    for (let lf = bytes.indexOf(LF, start); lf !== -1; lf = bytes.indexOf(LF, lf + 1)) {
      if (bytes[lf - 1] !== CR) return invalid(400, 'line not ended by CRLF');
    }
    return incomplete;
  }
  if (end + 4 - start > limits.maxHeadBytes) return invalid(431, 'request head too large');
  const lines = bytes.toString('latin1', start, end).split('\r\n');
  const requestLine = lines[0] ?? '';
  const parts = requestLine.split(' ');
  if (parts.length !== 3) return invalid(400, 'malformed request line');
  const [method = '', target = '', versionText = ''] = parts;
  if (!tokenPattern.test(method)) return invalid(400, 'malformed method');
  if (!targetPattern.test(target)) return invalid(400, 'malformed request target');
  const version = versionPattern.exec(versionText);
  if (!version) return invalid(400, 'malformed HTTP version');
  if (version[1] !== '1') return invalid(505, `HTTP/${version[1]}.${version[2]} not supported`);
  // RFC 9110 6.2: a 1.x minor version above ours is answered as 1.1.
  const minor = version[2] === '0' ? '1.0' : '1.1';

  if (lines.length - 1 > limits.maxHeaderFields) return invalid(431, 'too many header fields');
  // No prototype: a field named "__proto__" or "constructor" is just a field.
  const headers = Object.create(null) as Record<string, string>;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    // RFC 9112 5.2: obs-fold is obsolete; "A server that receives an obs-fold in a request
    // message ... MUST either reject the message by sending a 400 (Bad Request) ...".
    if (line.startsWith(' ') || line.startsWith('\t')) return invalid(400, 'obsolete line folding');
    const colon = line.indexOf(':');
    // RFC 9112 5.1: "No whitespace is allowed between the field name and colon ... A server
    // MUST reject ... any received request message that contains whitespace between a header
    // field name and colon with a response status code of 400".
    const rawName = colon <= 0 ? '' : line.slice(0, colon);
    if (!tokenPattern.test(rawName)) return invalid(400, 'malformed header field');
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!fieldValuePattern.test(value)) return invalid(400, 'invalid character in header value');
    const name = rawName.toLowerCase();
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }

  // RFC 9112 3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
  // request message that lacks a Host header field and to any request message that contains
  // more than one Host header field line or a Host header field with an invalid field value."
  const host = headers.host;
  if (minor === '1.1' && host === undefined) return invalid(400, 'missing Host header');
  if (host !== undefined && host.includes(',')) return invalid(400, 'more than one Host header');

  // RFC 9112 6.1: Transfer-Encoding with Content-Length "ought to be handled as an error"; and a
  // server "MAY reject a request that contains a message body but not a Content-Length by
  // responding with 411 (Length Required)". No route here takes a chunked upload.
  if (headers['transfer-encoding'] !== undefined) return invalid(411, 'chunked request bodies are not accepted');
  let bodyLength = 0;
  const contentLength = headers['content-length'];
  if (contentLength !== undefined) {
    // RFC 9112 6.3: a list of equal values may be collapsed; differing ones are unrecoverable.
    const values = new Set(contentLength.split(',').map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || only === undefined || !contentLengthPattern.test(only)) return invalid(400, 'invalid Content-Length');
    bodyLength = Number(only);
  }

  const connection = (headers.connection ?? '').toLowerCase();
  const hasOption = (option: string) => connection.split(',').some((token) => token.trim() === option);
  // RFC 9112 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive".
  const keepAlive = minor === '1.1' ? !hasOption('close') : hasOption('keep-alive');

  return { kind: 'head', head: { method, target, version: minor, headers, keepAlive, bodyLength, headLength: end + 4 } };
}
