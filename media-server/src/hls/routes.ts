// The HLS URL layout and the HTTP plumbing around it (thin: parse the path, ask the stream,
// write bytes). Everything lives under /<app>/<name>/:
//
//   index.m3u8               multivariant playlist
//   media.m3u8               LL-HLS media playlist (_HLS_msn, _HLS_part, _HLS_skip)
//   <id>/init-<n>.mp4        initialization section n
//   <id>/seg-<msn>.m4s       complete media segment
//   <id>/part-<n>.m4s        partial segment n (numbered across the whole stream)
//
// <id> changes with every new stream instance, so a URL never names two different contents
// and segments can be cached as immutable.

import type { IncomingMessage, ServerResponse } from 'node:http';

export type HlsResource =
  | { readonly type: 'multivariant' }
  | { readonly type: 'media' }
  | { readonly type: 'init'; readonly id: string; readonly initId: number }
  | { readonly type: 'segment'; readonly id: string; readonly msn: number }
  | { readonly type: 'part'; readonly id: string; readonly index: number };

export interface HlsRoute {
  readonly app: string;
  readonly name: string;
  readonly resource: HlsResource;
}

const pathPattern = /^\/([^/]+)\/([^/]+)\/(?:(index|media)\.m3u8|([a-z0-9]{1,32})\/(?:init-(\d{1,9})\.mp4|seg-(\d{1,15})\.m4s|part-(\d{1,15})\.m4s))$/;

/** The route for a request path (without query), or undefined when it is not an HLS path. */
export function parseHlsPath(pathname: string): HlsRoute | undefined {
  const match = pathPattern.exec(pathname);
  if (!match) return undefined;
  let app: string;
  let name: string;
  try {
    app = decodeURIComponent(match[1]!);
    name = decodeURIComponent(match[2]!);
  } catch {
    return undefined;
  }
  const [, , , playlist, id, init, segment, part] = match;
  let resource: HlsResource;
  if (playlist === 'index') resource = { type: 'multivariant' };
  else if (playlist === 'media') resource = { type: 'media' };
  else if (init !== undefined) resource = { type: 'init', id: id!, initId: Number(init) };
  else if (segment !== undefined) resource = { type: 'segment', id: id!, msn: Number(segment) };
  else resource = { type: 'part', id: id!, index: Number(part) };
  return { app, name, resource };
}

export const cacheControl = {
  /** Playlists change with every part. */
  playlist: 'no-cache, no-store',
  /** Media URIs name one content forever (the <id> component). */
  media: 'public, max-age=31536000, immutable',
};

export const playlistContentType = 'application/vnd.apple.mpegurl';

/** CORS for browser players on other origins (the web app runs on another port). */
export function setCorsHeaders(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Range, Cache-Control');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Age, Date');
  res.setHeader('Access-Control-Max-Age', '86400');
}

export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(`${message}\n`);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendText(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, contentType: string, cache: string): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': bytes.length, 'Cache-Control': cache });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (RFC 9110 14.1.2); anything else is ignored. */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Writes a resource made of chunks (a segment is its parts), honouring Range, without copying. */
export function sendChunks(req: IncomingMessage, res: ServerResponse, chunks: readonly Uint8Array[], contentType: string, cache: string): void {
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Cache-Control': cache });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const headers: Record<string, string | number> = { 'Content-Type': contentType, 'Content-Length': end - start + 1, 'Cache-Control': cache, 'Accept-Ranges': 'bytes' };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let offset = 0;
  for (const chunk of chunks) {
    const chunkStart = Math.max(start - offset, 0);
    const chunkEnd = Math.min(end + 1 - offset, chunk.length);
    if (chunkStart < chunkEnd) res.write(chunkStart === 0 && chunkEnd === chunk.length ? chunk : chunk.subarray(chunkStart, chunkEnd));
    offset += chunk.length;
  }
  res.end();
}
