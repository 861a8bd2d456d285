// Free loopback ports from a random start, so parallel test runs never collide and never touch the defaults.
//
// Picked at random below the kernel's ephemeral range, not with listen(0): listen(0) hands out a
// port from the same range the kernel gives every outgoing connection its source port from, so
// between freePort() returning and the server binding, a client connection (the bench opens
// thousands) could take it and the server's listen failed with EADDRINUSE (seen in the hostile
// bench). Below the range only another listener can take a port, and each pick is checked free.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const FIRST_PORT = 10_000;

/** The first port of net.ipv4.ip_local_port_range (Linux), else the usual 32768. */
function ephemeralRangeStart(): number {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(start) && start > FIRST_PORT + 1000) return start;
  } catch {
    // not Linux: the usual default
  }
  return 32_768;
}

const pickLimit = ephemeralRangeStart();

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Within one process the picks walk up from a random start, so a process is never handed the same
// port twice before it has gone through the whole range: independent random picks did repeat, and
// a test's web app and its nginx-rtmp were both given 28317 (CI). Advanced before the check, so
// concurrent calls get different ports too.
let nextPick = FIRST_PORT + Math.floor(Math.random() * (pickLimit - FIRST_PORT));

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = nextPick;
    nextPick = nextPick + 1 >= pickLimit ? FIRST_PORT : nextPick + 1;
    if (await isFree(port)) return port;
  }
  throw new Error('freePort: no free port found in 100 tries');
}
