// The real nginx-rtmp callback requests captured in test/fixtures/ (see the header of each .txt file
// for how it was captured):
//   nginx-rtmp-callbacks.{txt,jsonl}  on_publish / on_publish_done (the default capture)
//   nginx-rtmp-on-update.{txt,jsonl}  on_update heartbeats, with the publish and publish_done around them
import { readFileSync } from 'node:fs';

export interface CapturedCallback {
  n: number;
  method: string;
  /** Path the capture server was configured with: /on_publish or /on_publish_done. */
  url: string;
  httpVersion: string;
  rawHeaders: string[];
  body: string;
  form: Record<string, string>;
  /** What the capture stub answered (200 / 302 / 403). */
  status: number;
  location: string | null;
}

export type Capture = 'nginx-rtmp-callbacks' | 'nginx-rtmp-on-update';

const fixtureUrl = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);

export function loadCapturedCallbacks(capture: Capture = 'nginx-rtmp-callbacks'): CapturedCallback[] {
  return readFileSync(fixtureUrl(`${capture}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CapturedCallback);
}

/**
 * The exact bytes of request #n as they appear in the .txt capture (request line, headers in
 * their order, CRLF line ends as on the wire, body), with only the request target replaced.
 */
export function rawRequestBytes(n: number, target: string, capture: Capture = 'nginx-rtmp-callbacks'): Buffer {
  const text = readFileSync(fixtureUrl(`${capture}.txt`), 'utf8');
  const start = text.indexOf(`### request #${n} `);
  if (start === -1) throw new Error(`no request #${n} in the capture`);
  const lines = text.slice(start).split('\n').slice(1);
  const blank = lines.indexOf('');
  const head = lines.slice(0, blank);
  const body = lines[blank + 1] ?? '';
  const [method, , version] = (head[0] ?? '').split(' ');
  const headers = head.slice(1);
  const declared = Number(/^Content-Length: (\d+)$/m.exec(headers.join('\n'))?.[1]);
  if (declared !== Buffer.byteLength(body)) throw new Error(`request #${n}: Content-Length ${declared} != body ${Buffer.byteLength(body)}`);
  return Buffer.from(`${method} ${target} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

/**
 * Request #n with form fields replaced (name=<real key>...), keeping nginx-rtmp's field order,
 * its encoding style and its header order; Content-Length is recomputed.
 */
export function rewrittenRequestBytes(
  n: number,
  target: string,
  replace: Record<string, string>,
  append: Record<string, string> = {},
  capture: Capture = 'nginx-rtmp-callbacks',
): Buffer {
  const original = rawRequestBytes(n, target, capture).toString('latin1');
  const split = original.indexOf('\r\n\r\n');
  const head = original.slice(0, split);
  const body = original
    .slice(split + 4)
    .split('&')
    .map((pair) => {
      const key = pair.split('=')[0] ?? '';
      return Object.hasOwn(replace, key) ? `${key}=${encodeURIComponent(replace[key] ?? '')}` : pair;
    })
    .concat(Object.entries(append).map(([k, v]) => `${k}=${encodeURIComponent(v)}`))
    .join('&');
  return Buffer.from(`${head.replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(body)}`)}\r\n\r\n${body}`, 'latin1');
}
