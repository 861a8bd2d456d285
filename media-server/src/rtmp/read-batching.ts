// Reads a publisher's socket in batches. An encoder writes every RTMP chunk as it is made
// (~115 writes a second for 2.5 Mbit/s of 30 fps video with AAC), and each one cost the server
// a wake-up, a read syscall and a pass through the stream machinery. While `batching()` holds
// (a publish is live), the first bytes to arrive start a `windowMs` timer and the socket is not
// read until it fires: the kernel queues what comes meanwhile and one read takes it all. A read
// of `bigReadBytes` or more means a fast stream: it is handed on at once, unthrottled.
//
// Needs a socket whose readable high-water mark is tiny (server.ts creates them so): Node keeps
// reading a paused socket until its buffer reaches that mark, and only then stops the handle.
import type { Socket } from 'node:net';

export interface ReadBatching {
  /** How long the first bytes of a batch may wait. Adds at most this to ingest latency. */
  readonly windowMs: number;
  /** A buffered read at least this big is handed on without waiting. */
  readonly bigReadBytes: number;
}

export const defaultReadBatching: ReadBatching = { windowMs: 20, bigReadBytes: 32 * 1024 };

/** Calls `onData` with what `socket` received, in batches while `batching()` is true. */
export function readInBatches(socket: Socket, options: ReadBatching, batching: () => boolean, onData: (chunk: Buffer) => void): void {
  let timer: NodeJS.Timeout | undefined;
  const drain = () => {
    for (let chunk: Buffer | null = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) onData(chunk);
  };
  socket.on('readable', () => {
    if (timer !== undefined) return;
    if (!batching() || socket.readableLength >= options.bigReadBytes) {
      drain();
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      drain();
    }, options.windowMs);
  });
  socket.once('close', () => clearTimeout(timer));
}
