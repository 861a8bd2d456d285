// A loopback TCP relay between the publisher (ffmpeg) and the server's RTMP port that timestamps
// what goes through it: when the 'publish' command and each video frame were handed to the server.
// The timestamp is taken right after the chunk carrying the message's last byte was written to the
// server's socket, i.e. when the server can first read it.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { MessageType, RtmpChunkReader, isCommand, videoFrameInfo } from './rtmp-chunk-reader.js';
import { epochNow } from './time.js';

export interface RelayedFrame {
  /** RTMP timestamp, ms. */
  timestamp: number;
  keyframe: boolean;
  /** Size of the coded frame (FLV AVC payload without its 5-byte header) = the fMP4 sample size. */
  sampleBytes: number;
  /** epochNow() when the frame's last byte was written to the server. */
  deliveredAt: number;
}

export interface RtmpRelay {
  readonly port: number;
  /** epochNow() when the publish command was delivered, once it was. */
  publishAt(): number | undefined;
  frames(): readonly RelayedFrame[];
  /** Set if the client's byte stream could not be parsed as RTMP (timestamps stop there). */
  parseError(): string | undefined;
  close(): Promise<void>;
}

export async function startRtmpRelay(upstreamPort: number): Promise<RtmpRelay> {
  const port = await freePort();
  const frames: RelayedFrame[] = [];
  let publishAt: number | undefined;
  let parseError: string | undefined;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const reader = new RtmpChunkReader();
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      const at = epochNow();
      if (parseError !== undefined) return;
      let messages;
      try {
        messages = reader.push(chunk);
      } catch (error) {
        // Keep relaying; the phase reports that timestamps stopped being collected.
        parseError = error instanceof Error ? error.message : String(error);
        return;
      }
      for (const message of messages) {
        if (message.type === MessageType.Video) {
          const info = videoFrameInfo(message);
          if (info.codedFrame) frames.push({ timestamp: message.timestamp, keyframe: info.keyframe, sampleBytes: info.sampleBytes, deliveredAt: at });
        } else if (publishAt === undefined && isCommand(message, 'publish')) publishAt = at;
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    publishAt: () => publishAt,
    parseError: () => parseError,
    frames: () => frames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
