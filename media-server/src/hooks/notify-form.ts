// The nginx-rtmp notify request (ngx_rtmp_notify_module), reproduced byte for byte because the web
// app's hook handlers are written against it (see /work/shared/fixtures/nginx-rtmp-callbacks.txt):
//   POST <path>  Host / Content-Type: application/x-www-form-urlencoded / Connection: Close / Content-Length
//   app=..&flashver=..&swfurl=..&tcurl=..&pageurl=..&addr=..&clientid=..&call=..&name=..[&type=..][&<raw args>]
// Values are escaped like ngx_escape_uri(NGX_ESCAPE_ARGS): only " #%&+;?", controls and bytes >= 0x7F,
// as uppercase %XX; the publish URL's query args are appended verbatim, as nginx does.
// The request goes out as HTTP/1.0 over a plain TCP connection, exactly like nginx's.
import { connect } from 'node:net';

export interface NotifyParams {
  readonly app: string;
  readonly flashVer: string;
  readonly swfUrl: string;
  readonly tcUrl: string;
  readonly pageUrl: string;
  /** The publisher's IP address as nginx prints it (no IPv4-mapped IPv6 prefix, no port). */
  readonly addr: string;
  readonly clientId: number;
  /** The ORIGINAL stream name, before '?' and before any on_publish rename. */
  readonly name: string;
  /** The raw query string of the publish URL, without '?'. */
  readonly args: string;
  readonly publishType: string;
}

const hex = '0123456789ABCDEF';
const encoder = new TextEncoder();

/** ngx_escape_uri with NGX_ESCAPE_ARGS: " ", "#", "%", "&", "+", ";", "?", %00-%1F, %7F-%FF. */
export function escapeArg(value: string): string {
  let out = '';
  for (const byte of encoder.encode(value)) {
    const escape = byte <= 0x20 || byte >= 0x7f || byte === 0x23 || byte === 0x25 || byte === 0x26 || byte === 0x2b || byte === 0x3b || byte === 0x3f;
    out += escape ? `%${hex[byte >> 4]}${hex[byte & 15]}` : String.fromCharCode(byte);
  }
  return out;
}

export function encodeNotifyForm(call: 'publish' | 'publish_done', params: NotifyParams): string {
  const fields: Array<[string, string]> = [
    ['app', params.app],
    ['flashver', params.flashVer],
    ['swfurl', params.swfUrl],
    ['tcurl', params.tcUrl],
    ['pageurl', params.pageUrl],
    ['addr', params.addr],
    ['clientid', String(params.clientId)],
    ['call', call],
    ['name', params.name],
  ];
  if (call === 'publish') fields.push(['type', params.publishType]);
  let body = fields.map(([k, v]) => `${k}=${escapeArg(v)}`).join('&');
  if (params.args) body += `&${params.args}`;
  return body;
}

export interface NotifyResponse {
  readonly status: number;
  readonly location: string | undefined;
}

export interface PostOptions {
  readonly timeoutMs: number;
  /** Largest response head (status line + headers) read before giving up. Default 16 KiB. */
  readonly maxHeadBytes?: number;
}

/**
 * POSTs the form the way nginx-rtmp does: an HTTP/1.0 request with exactly its four headers,
 * written on a plain TCP connection (node:http would say HTTP/1.1). Only the status line and the
 * headers of the answer are read (the body never matters); the whole exchange is bounded by
 * AbortSignal.timeout. Rejects on timeout, connection errors, an oversized or malformed head, and
 * non-http URLs, so callers can fail closed.
 */
export function postNotifyForm(url: string, body: string, options: PostOptions): Promise<NotifyResponse> {
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  if (target.protocol !== 'http:') return Promise.reject(new Error(`unsupported callback URL scheme ${target.protocol}`));
  const maxHeadBytes = options.maxHeadBytes ?? 16 * 1024;
  const payload = Buffer.from(body, 'latin1');
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const head =
    `POST ${target.pathname}${target.search} HTTP/1.0\r\n` +
    `Host: ${target.hostname}\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\n' +
    'Connection: Close\r\n' +
    `Content-Length: ${payload.length}\r\n\r\n`;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(target.port || 80) });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | null, response?: NotifyResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else if (response) resolve(response);
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('callback aborted'));
    signal.addEventListener('abort', onAbort);
    socket.once('connect', () => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), payload])));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > maxHeadBytes) finish(new Error(`callback response head larger than ${maxHeadBytes} bytes`));
        return;
      }
      try {
        finish(null, parseResponseHead(received.subarray(0, end).toString('latin1')));
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.once('end', () => finish(new Error('callback connection closed before a complete response head')));
    socket.once('error', (error) => finish(error));
  });
}

/** Parses "HTTP/1.x NNN reason" plus headers; only Location is kept. */
export function parseResponseHead(head: string): NotifyResponse {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!match) throw new Error(`malformed callback status line ${JSON.stringify(statusLine.slice(0, 100))}`);
  let location: string | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'location') location = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), location };
}
