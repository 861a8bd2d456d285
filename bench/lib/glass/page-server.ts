// Serves the latency page and video.js from node_modules, and proxies /hls/* to the media server
// under test so the page, the player and the stream share one origin (no CORS differences between
// the servers). The proxy streams bytes through as they arrive.
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../../../media-server/test/helpers/ports.js';

export interface PageServer {
  readonly origin: string;
  /** The page URL that plays `upstreamUrl` (an http://127.0.0.1:PORT/... playlist) through the proxy. */
  pageUrlFor(upstreamUrl: string): string;
  close(): Promise<void>;
}

export async function startPageServer(repoRoot: string, upstreamOrigin: string): Promise<PageServer> {
  const page = readFileSync(join(repoRoot, 'bench', 'lib', 'glass', 'page.html'));
  const videoJs = join(repoRoot, 'node_modules', 'video.js', 'dist', 'video.min.js');
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/' || url.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (url === '/video.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      createReadStream(videoJs).pipe(res);
    } else if (url.startsWith('/hls/')) {
      const upstream = request(`${upstreamOrigin}${url.slice('/hls'.length)}`, { method: 'GET' }, (up) => {
        const headers: Record<string, string> = {};
        const type = up.headers['content-type'];
        if (type !== undefined) headers['content-type'] = type;
        headers['cache-control'] = 'no-cache';
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      });
      upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
      res.on('close', () => upstream.destroy());
      upstream.end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrlFor(upstreamUrl) {
      const u = new URL(upstreamUrl);
      return `${origin}/?src=${encodeURIComponent(`/hls${u.pathname}${u.search}`)}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
