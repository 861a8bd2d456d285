// Slowing down a client that loops refused requests without holding anything for it: its
// connection is not read for a while, so its next request waits in the kernel's socket buffer,
// unparsed, and nothing is allocated for it until the pause ends. Holding the refused request
// itself for the same time (the first way) kept its request, response and timer alive through
// young-generation GCs; under a reload flood those survivors made V8 grow its young generation
// (bench/README.md section 5, row e).
import type { Socket } from 'node:net';
import type { Timers } from './timers.js';

/**
 * Stops reading `socket` for `ms`. Nothing happens when it is gone or already paused (by
 * node:http's pipelining backpressure, which resumes it itself, or by an earlier pause).
 */
export function pauseReading(socket: Socket, ms: number, timers: Timers): void {
  if (ms <= 0 || socket.destroyed || socket.isPaused()) return;
  socket.pause();
  const onClose = () => timers.clearTimeout(timer);
  const timer = timers.setTimeout(() => {
    socket.off('close', onClose);
    if (!socket.destroyed) socket.resume();
  }, ms);
  socket.once('close', onClose);
}
