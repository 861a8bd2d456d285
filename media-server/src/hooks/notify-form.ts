// The nginx-rtmp notify request (ngx_rtmp_notify_module), reproduced byte for byte because the web
// app's hook handlers are written against it (see /work/shared/fixtures/nginx-rtmp-callbacks.txt):
//   POST <path>  Host / Content-Type: application/x-www-form-urlencoded / Connection: Close / Content-Length
//   app=..&flashver=..&swfurl=..&tcurl=..&pageurl=..&addr=..&clientid=..&call=..&name=..[&type=..][&<raw args>]
// Values are escaped like ngx_escape_uri(NGX_ESCAPE_ARGS): only " #%&+;?", controls and bytes >= 0x7F,
// as uppercase %XX; the publish URL's query args are appended verbatim, as nginx does.
import { request } from 'node:http';

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
  /** At most `maxBodyBytes` of the body, for log lines. */
  readonly body: string;
}

export interface PostOptions {
  readonly timeoutMs: number;
  /** How much of the response body is read before the rest is dropped. Default 4096. */
  readonly maxBodyBytes?: number;
}

/** POSTs the form; rejects on timeout (AbortSignal.timeout), connection errors and non-http URLs. */
export function postNotifyForm(url: string, body: string, options: PostOptions): Promise<NotifyResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:') return Promise.reject(new Error(`unsupported callback URL scheme ${target.protocol}`));
  const maxBodyBytes = options.maxBodyBytes ?? 4096;
  const payload = Buffer.from(body, 'latin1');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        protocol: 'http:',
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        setHost: false,
        agent: false,
        signal: AbortSignal.timeout(options.timeoutMs),
        // nginx-rtmp's header set and order; Host without the port, as nginx sends it.
        headers: [
          'Host',
          target.hostname,
          'Content-Type',
          'application/x-www-form-urlencoded',
          'Connection',
          'Close',
          'Content-Length',
          String(payload.length),
        ],
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const location = res.headers.location;
          resolve({ status: res.statusCode ?? 0, location: typeof location === 'string' ? location : undefined, body: Buffer.concat(chunks).toString('utf8') });
        };
        res.on('data', (chunk: Buffer) => {
          if (size >= maxBodyBytes) return;
          const piece = chunk.subarray(0, maxBodyBytes - size);
          chunks.push(piece);
          size += piece.length;
          if (size >= maxBodyBytes) {
            // Enough to decide and log; the rest is not read.
            finish();
            res.destroy();
          }
        });
        res.once('end', finish);
        res.once('error', (error) => reject(error));
      },
    );
    req.once('error', (error) => reject(error));
    req.end(payload);
  });
}
