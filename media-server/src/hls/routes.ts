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

import { close, open, read } from 'node:fs';
import type { IncomingMessage as HttpRequest, ServerResponse as HttpResponse } from 'node:http';
import { fileStepBytes, type ReadBudget } from './read-budget.js';
import type { StoredBytes } from './segment-store.js';

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

/**
 * CORS for browser players on other origins (the web app runs on another port), as a flat
 * [name, value, ...] list. Every HLS response starts with these and passes one flat array to
 * `writeHead` (built once per content type), instead of five `setHeader` calls plus a header
 * object per request: an LL-HLS viewer makes ~10 requests a second.
 */
export const corsHeaders: readonly string[] = [
  'Access-Control-Allow-Origin', '*',
  'Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers', 'Range, Cache-Control',
  'Access-Control-Expose-Headers', 'Content-Length, Content-Range, Age, Date',
  'Access-Control-Max-Age', '86400',
];

const errorHeaders: readonly string[] = [...corsHeaders, 'Content-Type', 'text/plain; charset=utf-8', 'Cache-Control', 'no-store'];

/** The fixed headers of a response (CORS, type, cache); Content-Length etc. are appended per request. */
export function fixedHeaders(contentType: string, cache: string): readonly string[] {
  return [...corsHeaders, 'Content-Type', contentType, 'Cache-Control', cache];
}

/** An answer to a CORS preflight. */
export function sendPreflight(res: HttpResponse): void {
  // RFC 9110 8.6: "A server MUST NOT send a Content-Length header field in any response with a
  // status code of 1xx (Informational) or 204 (No Content)."
  res.writeHead(204, [...corsHeaders]);
  res.end();
}

/** `extra` is a flat [name, value, ...] list (e.g. `Allow` on a 405). */
export function sendError(req: HttpRequest, res: HttpResponse, status: number, message: string, extra: readonly string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(`${message}\n`);
  res.writeHead(status, [...errorHeaders, 'Content-Length', String(body.length), ...extra]);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** `headers` comes from `fixedHeaders()` (computed once, not per request). */
export function sendText(req: HttpRequest, res: HttpResponse, bytes: Uint8Array, headers: readonly string[]): void {
  res.writeHead(200, [...headers, 'Content-Length', String(bytes.length)]);
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

/**
 * Writes the status line and headers of a `size`-byte resource, honouring Range. Returns the
 * byte range to send, or undefined when the response is already complete (416, or HEAD).
 * `headers` comes from `fixedHeaders()`; `cache` is repeated on a 416 answer.
 */
function startBody(req: HttpRequest, res: HttpResponse, size: number, headers: readonly string[], cache: string): { start: number; end: number } | undefined {
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, [...corsHeaders, 'Content-Range', `bytes */${size}`, 'Cache-Control', cache]);
    res.end();
    return undefined;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  if (range) res.writeHead(206, [...headers, 'Content-Length', String(end - start + 1), 'Accept-Ranges', 'bytes', 'Content-Range', `bytes ${start}-${end}/${size}`]);
  else res.writeHead(200, [...headers, 'Content-Length', String(size), 'Accept-Ranges', 'bytes']);
  if (req.method === 'HEAD') {
    res.end();
    return undefined;
  }
  return { start, end };
}

/** Writes a resource made of chunks (a segment is its parts), honouring Range, without copying. */
export function sendChunks(req: HttpRequest, res: HttpResponse, chunks: readonly Uint8Array[], headers: readonly string[], cache: string): void {
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const range = startBody(req, res, size, headers, cache);
  if (!range) return;
  const { start, end } = range;
  // Head and chunks leave in one writev instead of one write each.
  res.cork();
  let offset = 0;
  for (const chunk of chunks) {
    const chunkStart = Math.max(start - offset, 0);
    const chunkEnd = Math.min(end + 1 - offset, chunk.length);
    if (chunkStart < chunkEnd) res.write(chunkStart === 0 && chunkEnd === chunk.length ? chunk : chunk.subarray(chunkStart, chunkEnd));
    offset += chunk.length;
  }
  res.end();
  res.uncork();
}

export { fileStepBytes };

/**
 * Writes stored bytes, from memory or read from their file; a file that is gone is a 404. A file
 * read borrows its step buffer from `budget` until its last step went to the kernel; with the
 * budget spent, 503. Without a budget (tests) it allocates its own.
 */
export async function sendStoredBytes(req: HttpRequest, res: HttpResponse, bytes: StoredBytes, headers: readonly string[], cache: string, budget?: ReadBudget): Promise<void> {
  if (bytes.kind === 'memory') return sendChunks(req, res, bytes.chunks, headers, cache);
  const buffer = budget === undefined ? Buffer.allocUnsafeSlow(fileStepBytes) : budget.lendBuffer();
  if (buffer === undefined) return sendError(req, res, 503, 'server busy', ['Retry-After', '1']);
  try {
    await sendFileRange(req, res, bytes, headers, cache, buffer);
  } finally {
    // Every write from the buffer has completed (or its connection is gone): safe to reuse.
    budget?.returnBuffer(buffer);
  }
}

async function sendFileRange(req: HttpRequest, res: HttpResponse, bytes: StoredBytes & { kind: 'file' }, headers: readonly string[], cache: string, buffer: Buffer): Promise<void> {
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) => open(bytes.path, 'r', (error, opened) => (error ? reject(error) : resolve(opened))));
  } catch {
    return sendError(req, res, 404, 'segment no longer available');
  }
  try {
    const range = startBody(req, res, bytes.size, headers, cache);
    if (!range) return;
    const complete = await sendFileSteps(res, fd, bytes.offset + range.start, range.end - range.start + 1, buffer);
    // Incomplete: the client hung up, or the read failed after the headers went out; nothing to answer.
    if (!complete) res.destroy();
    else if (!res.destroyed) res.end();
  } finally {
    await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}

/**
 * Sends `length` bytes of `fd` from `position` in steps through `buffer`, each step read once the
 * socket took the one before; true when all went to the kernel. Plain callbacks, one promise per
 * response: a FileHandle read and a promise per step allocated ~3 KB a step, and 50 responses
 * pushed into loopback socket buffers (~4 MB each) in a second made V8 grow its young generation.
 * Resolves only when no read is filling `buffer` (the caller lends it on afterwards).
 */
function sendFileSteps(res: HttpResponse, fd: number, position: number, length: number, buffer: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    let sent = 0;
    let reading = false;
    let settled = false;
    const settle = (complete: boolean) => {
      if (settled) return;
      settled = true;
      res.off('close', onClose);
      resolve(complete);
    };
    // node:http may drop a write to a socket already destroyed without calling back: 'close' ends it.
    const onClose = () => {
      if (!reading) settle(false);
    };
    let step = 0;
    // Made once per response, not per step.
    const afterWrite = (error?: Error | null) => (error ? settle(false) : next());
    const afterRead = (error: NodeJS.ErrnoException | null, bytesRead: number) => {
      reading = false;
      if (error || bytesRead !== step || res.destroyed) return settle(false);
      sent += step;
      res.write(step === buffer.length ? buffer : buffer.subarray(0, step), afterWrite);
    };
    const next = () => {
      if (settled) return;
      if (res.destroyed) return settle(false);
      if (sent >= length) return settle(true);
      step = Math.min(length - sent, buffer.length);
      reading = true;
      read(fd, buffer, 0, step, position + sent, afterRead);
    };
    res.on('close', onClose);
    next();
  });
}
