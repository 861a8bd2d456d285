#!/usr/bin/env node
// @ts-check
// The web app's HTTP server: Next.js's request handler (the documented custom-server API) inside
// our own node:http server, so the app knows who is on the other end of the socket. `next start`
// would hand the app an X-Forwarded-For the client itself may have written.
//
// Every request's forwarding headers are resolved once here, from the socket and TRUST_PROXY
// (lib/net/trust-proxy.mjs), and replaced by ours: the app reads the client address from
// x-onair-client-addr and the host/scheme the browser used from X-Forwarded-Host/-Proto, and a
// client cannot send its own copies of any of them (they are deleted first).
//
//   node scripts/web-server.mjs --port 3000 [--host 127.0.0.1] [--dev]
// Exits 0 after SIGINT/SIGTERM (open event streams are closed), 2 for bad arguments or configuration.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { envProblems } from '../lib/config/env-schema.mjs';
import { parseTrustProxy, resolveForwarded } from '../lib/net/trust-proxy.mjs';
import { CLIENT_ADDRESS_HEADER, SELF_REQUEST_HEADER, SPOOFABLE_HEADERS } from '../lib/net/internal-headers.mjs';

// OnAir promises no calls to the outside; Next.js reads this before it sends anything.
process.env.NEXT_TELEMETRY_DISABLED = '1';

const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' }, dev: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  console.log(`usage: node scripts/web-server.mjs --port N [--host ADDRESS] [--dev]

The OnAir web app (Next.js) in its own HTTP server. \`npm start\` runs it; settings come from the
environment (README, .env.example), among them:
  TRUST_PROXY             reverse proxies whose X-Forwarded-For/-Host/-Proto count: a hop count or
                          addresses/CIDRs (default: none, the socket address is the client)
  SIGNIN_RATE_LIMIT       sign-in attempts per client address per 5 minutes (default 10)
  SIGNIN_USER_RATE_LIMIT  sign-in attempts per username per 5 minutes (default 10)
  SIGNUP_RATE_LIMIT       accounts per client address per hour (default 10)
  VIEWERS_PER_ADDRESS     watch pages from one address counted per channel (default 3)
  EVENT_STREAMS_PER_ADDRESS
                          open live connections from one address, all channels (default 100)
  PUBLIC_URL              the site's public base URL (default: the host each browser used)`);
  process.exit(0);
}
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`[web] --port must be 1-65535, got ${JSON.stringify(values.port)}`);
  process.exit(2);
}
// The same rules `npm start` checks first; run directly, the server refuses to serve 500s too.
const problems = envProblems({ ...process.env, NODE_ENV: values.dev ? 'development' : 'production' });
if (problems.length > 0) {
  console.error(`[web] bad configuration:\n  ${problems.join('\n  ')}`);
  process.exit(2);
}
const trust = parseTrustProxy(process.env.TRUST_PROXY);
// next-auth v4 takes its base URL from NEXTAUTH_URL, or, with AUTH_TRUST_HOST, from the request's
// X-Forwarded-Host/-Proto, which this server sets itself (so the host the browser used).
if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST = '1';

// Node hands this ES module next's CommonJS module.exports, which is createServer itself; next's
// types (written for bundlers) call that function the module's `default` export, so TypeScript
// under Node's rules sees the whole module there.
const next = /** @type {typeof import('next').default} */ (/** @type {unknown} */ ((await import('next')).default));
const dir = fileURLToPath(new URL('..', import.meta.url));
const hostname = values.host ?? 'localhost';
const app = next({ dev: values.dev, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

// Next.js renders a server action's redirect target by fetching it from this very server, with
// the action request's headers (already ours). Those internal requests come from loopback and must
// keep the browser's address and host, so every request we pass on carries this process's random
// token, and a request that brings it back is one of Next's own.
const selfToken = Buffer.from(randomBytes(24).toString('base64url'));

/** @param {import('node:http').IncomingMessage} req */
function isSelfRequest(req) {
  const sent = req.headers[SELF_REQUEST_HEADER];
  if (typeof sent !== 'string' || !isLoopback(req.socket.remoteAddress ?? '')) return false;
  const bytes = Buffer.from(sent);
  return bytes.length === selfToken.length && timingSafeEqual(bytes, selfToken);
}

/** @param {string} address */
function isLoopback(address) {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** @param {import('node:http').IncomingMessage} req */
function normalizeHeaders(req) {
  const headers = req.headers;
  if (isSelfRequest(req)) return;
  delete headers[SELF_REQUEST_HEADER];
  const forwarded = resolveForwarded(
    {
      peer: req.socket.remoteAddress ?? '',
      forwardedFor: joined(headers['x-forwarded-for']),
      forwardedHost: joined(headers['x-forwarded-host']),
      forwardedProto: joined(headers['x-forwarded-proto']),
      host: headers.host,
      encrypted: 'encrypted' in req.socket && req.socket.encrypted === true,
    },
    trust,
  );
  for (const name of SPOOFABLE_HEADERS) delete headers[name];
  headers[CLIENT_ADDRESS_HEADER] = forwarded.clientAddress;
  headers['x-forwarded-for'] = forwarded.clientAddress;
  headers['x-forwarded-proto'] = forwarded.proto;
  if (forwarded.host !== '') headers['x-forwarded-host'] = forwarded.host;
  headers[SELF_REQUEST_HEADER] = selfToken.toString();
}

/** @param {string | string[] | undefined} value */
function joined(value) {
  return Array.isArray(value) ? value.join(',') : value;
}

const server = createServer((req, res) => {
  normalizeHeaders(req);
  handle(req, res).catch((/** @type {unknown} */ error) => {
    console.error('[web] request failed', error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
if (values.dev) {
  // Hot reload's websocket.
  const upgrade = app.getUpgradeHandler();
  server.on('upgrade', (req, socket, head) => {
    normalizeHeaders(req);
    upgrade(req, socket, head).catch(() => socket.destroy());
  });
}

server.on('error', (error) => {
  console.error(`[web] ${error.message}`);
  process.exit(1);
});
server.listen(port, values.host, () => {
  console.log(`[web] listening on ${values.host ?? '*'}:${port}${values.dev ? ' (dev)' : ''}`);
});

let stopping = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Event streams never end by themselves: close idle keep-alives now, everything after a moment.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
