// The nginx-rtmp notify request (ngx_rtmp_notify_module). The form is reproduced byte for byte,
// because the web app's hook handlers are written against it (test/fixtures/nginx-rtmp-callbacks.txt):
//   POST <path>  Content-Type: application/x-www-form-urlencoded
//   app=..&flashver=..&swfurl=..&tcurl=..&pageurl=..&addr=..&clientid=..&call=..&name=..[&type=..][&<raw args>]
// Values are escaped like ngx_escape_uri(NGX_ESCAPE_ARGS): only " #%&+;?", controls and bytes >= 0x7F,
// as uppercase %XX; the publish URL's query args are appended verbatim, as nginx does.
// The request itself is Node's fetch: HTTP/1.1 rather than nginx's HTTP/1.0, with Connection: close
// as nginx sends it (one request per connection); the web app reads the form, not the request line.
import { createServer } from 'node:http';

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

/** What nginx-rtmp adds to the play form (ngx_rtmp_notify_play_create): `&start=%uD&duration=%uD&reset=%d`. */
export interface PlayFields {
  /** uint32 ms. */
  readonly start: number;
  readonly duration: number;
  readonly reset: boolean;
}

export type NotifyCall = 'publish' | 'publish_done' | 'play' | 'play_done';

export function encodeNotifyForm(call: NotifyCall, params: NotifyParams, play?: PlayFields): string {
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
  if (call === 'play' && play) fields.push(['start', String(play.start >>> 0)], ['duration', String(play.duration >>> 0)], ['reset', play.reset ? '1' : '0']);
  let body = fields.map(([k, v]) => `${k}=${escapeArg(v)}`).join('&');
  if (params.args) body += `&${params.args}`;
  return body;
}

export interface NotifyResponse {
  readonly status: number;
  readonly location: string | undefined;
  /** The web app's record decision (CONTRACT-15 item 1): `X-OnAir-Record: 1`. */
  readonly record: boolean;
}

export interface PostOptions {
  /** Bounds the whole exchange up to the response head (AbortSignal.timeout). */
  readonly timeoutMs: number;
}

/**
 * POSTs the form and returns the answer's status and Location. Redirects are not followed: a 3xx
 * is itself the answer (nginx-rtmp's rename). The body is never read, and fetch caps the response
 * head at 16 KiB. Rejects on a timeout (a TimeoutError), on a connection error or a malformed
 * answer (undici's cause, e.g. ECONNREFUSED) and on a non-http URL, so callers can fail closed.
 */
export async function postNotifyForm(url: string, body: string, options: PostOptions): Promise<NotifyResponse> {
  const { protocol } = new URL(url);
  if (protocol !== 'http:') throw new Error(`unsupported callback URL scheme ${protocol}`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Connection: 'close' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    // fetch wraps every network failure in TypeError("fetch failed"); the cause names it.
    throw error instanceof TypeError && error.cause instanceof Error ? error.cause : error;
  }
  // Only the status and Location matter; cancelling closes the connection (a failure to cancel
  // changes nothing about the answer already received).
  response.body?.cancel().catch(() => undefined);
  return { status: response.status, location: response.headers.get('location') ?? undefined, record: response.headers.get('x-onair-record')?.trim() === '1' };
}

/**
 * The first fetch of a process loads undici and compiles its HTTP parser, long enough to matter
 * against a short --callback-timeout-ms. Done once at start-up, against a loopback server of our
 * own (the web app sees nothing), so the first on_publish does not spend its timeout on it.
 */
export async function warmUpNotifyClient(timeoutMs = 5000): Promise<void> {
  const server = createServer((_request, response) => response.writeHead(204).end());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    const address = server.address();
    const port = address !== null && typeof address === 'object' ? address.port : 0;
    await postNotifyForm(`http://127.0.0.1:${port}/`, '', { timeoutMs });
  } finally {
    server.close();
  }
}
