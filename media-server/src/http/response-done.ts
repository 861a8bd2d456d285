// Runs cleanup when a response is over (sent, or its connection gone). A 'close' listener
// added after the connection already closed would never run, and whatever it was to give back
// (a held-request slot, read budget) would stay taken for good: check the socket first.
import type { ServerResponse } from 'node:http';

/** Calls `done` once when `res` is over: now if its connection is already gone. */
export function whenResponseDone(res: ServerResponse, done: () => void): void {
  const socket = res.socket;
  if (res.writableFinished || socket === null || socket.destroyed) {
    done();
    return;
  }
  res.once('close', done);
}
