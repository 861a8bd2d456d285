// Refusing a connection before Node builds anything for it. net.Server makes a Socket (stream
// state, listeners, and for node:http a parser and timers) for every accepted connection before
// any 'connection' listener can look at its address, and a Socket destroyed at once still
// survives the young-generation GC and waits in the old space for a full one (measured on Node
// 20: accepting and destroying 300 connections a second grew the old space by ~1.4 KB per
// connection until the next full GC; closing them at the handle instead, not at all). A flood
// of connections over a per-address cap grew the heap by several MB in seconds. Node's own
// `maxConnections` refuses at the accepted handle instead, before the Socket, but counts only the
// total; this does the same for any rule over the peer's address (Node 22's `blockList` server
// option is the same check, for a fixed list).
//
// It wraps the listening handle's `onconnection` (net.Server's accept callback since Node 0.x),
// an internal: where it is not there, nothing is installed and the 'connection' checks still
// refuse, only at the cost of a Socket each.
import type { Server } from 'node:net';

/** The accepted connection's handle as net.Server receives it (a TCPWrap). */
interface AcceptedHandle {
  getpeername?: (out: { address?: string }) => number;
  close(): void;
}

interface ListeningHandle {
  onconnection?: (error: number, client: AcceptedHandle | undefined) => void;
}

/**
 * After `server` listens: every accepted connection whose peer address `refuse` answers true for
 * is closed at its handle, before Node makes a Socket for it. Returns false when it could not be
 * installed. Install again after every listen() (each listen makes a new handle).
 */
export function refuseBeforeSocket(server: Server, refuse: (address: string) => boolean): boolean {
  const handle = (server as unknown as { _handle?: ListeningHandle | null })._handle;
  const accept = handle?.onconnection;
  if (!handle || typeof accept !== 'function') return false;
  handle.onconnection = function (this: ListeningHandle, error: number, client: AcceptedHandle | undefined) {
    if (!error && client && typeof client.getpeername === 'function') {
      const peer: { address?: string } = {};
      if (client.getpeername(peer) === 0 && peer.address !== undefined && refuse(peer.address)) {
        client.close();
        return;
      }
    }
    accept.call(this, error, client);
  };
  return true;
}
