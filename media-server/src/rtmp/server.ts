// The RTMP listener: the only module that touches sockets. Each connection drives one sans-I/O
// RtmpSession and carries out its actions: write bytes, ask on_publish (through the injected
// PublishHooks) before Publish.Start, feed media into the StreamOutputs, end the stream (and post
// on_publish_done exactly once) however the publish ends. Timers live here too: the deadline for
// reaching `publish` and the idle timeout, checked by one sweep for all connections.
//
// A connection whose publish is not accepted yet is a stranger: it is capped per address and in
// total, must send `publish` within authTimeoutMs, may buffer only small commands (the session's
// pre-auth limits), is not read while on_publish decides, and is dropped if it stops reading our
// replies.
//
// Players: `play` of a live public name asks on_play (PlayHooks), then joins LivePlayback, which
// writes the shared media packets to the socket within the player's queue bound; on_play_done is
// posted once when the play ends. A play for a name that is not live is answered
// NetStream.Play.StreamNotFound and closed at once (nginx-rtmp with `live on` would hold the
// connection and wait for a publisher: here an unknown name holds nothing, and no connection slot
// waits for a publish that may never come).
import { createServer, type Server, type Socket } from 'node:net';
import type { PublishHooks } from '../hooks/on-publish.js';
import type { PlayHooks } from '../hooks/on-play.js';
import type { NotifyParams } from '../hooks/notify-form.js';
import { redactKey, type Logger } from '../logger.js';
import { refuseBeforeSocket } from '../net/accept-gate.js';
import { addressKey, normalizeAddress } from '../net/address-key.js';
import type { StreamEndReason, StreamOutputs, StreamSink } from '../media/types.js';
import type { StreamRegistry } from '../streams/stream-registry.js';
import type { LivePlayback, PlayerOutput } from './live-playback.js';
import { RtmpSession, type PlayRequest, type PublishRequest, type SessionAction, type SessionOptions } from './session.js';

export interface RtmpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly app: string;
  readonly logger: Logger;
  readonly hooks: PublishHooks;
  /** RTMP playback: which streams are live and their players. Absent: every play is StreamNotFound. */
  readonly playback?: LivePlayback;
  /** on_play / on_play_done. Absent: plays of live streams are allowed. */
  readonly playHooks?: PlayHooks;
  readonly outputs: StreamOutputs;
  readonly registry: StreamRegistry;
  /** A publisher that sends no media for this long is dropped; so is a silent non-publishing connection. */
  readonly idleTimeoutMs: number;
  /** Handshake, `connect` and `publish` or `play` must be done within this from accept. Default 5000 ms (config.ts). */
  readonly authTimeoutMs?: number;
  /** Connections beyond this are refused at accept. Default 1000 (config.ts). */
  readonly maxConnections?: number;
  /** Connections from one address (IPv6: one /64) beyond this are refused at accept. Default 10 (config.ts). */
  readonly maxConnectionsPerAddress?: number;
  readonly sessionOptions?: Omit<SessionOptions, 'app'>;
  readonly now?: () => number;
}

interface LivePublish {
  readonly name: string;
  readonly originalName: string;
  readonly sink: StreamSink;
  readonly done: (reason: StreamEndReason) => Promise<void>;
  readonly release: () => void;
}

interface LivePlay {
  readonly name: string;
  readonly detach: () => void;
  readonly done: (reason: string) => Promise<void>;
}

interface Connection {
  readonly id: number;
  readonly socket: Socket;
  readonly session: RtmpSession;
  readonly addr: string;
  /** What the per-address cap counts (IPv6: the /64). */
  readonly addrKey: string;
  readonly openedAt: number;
  /** Set when the `publish` or `play` command arrived (the auth deadline no longer applies). */
  publishRequested: boolean;
  lastInputAt: number;
  lastMediaAt: number;
  connected: boolean;
  closed: boolean;
  publish: LivePublish | null;
  play: LivePlay | null;
}

/**
 * Replies a peer may leave unread before it is dropped. Before a publish is accepted we send a
 * few hundred bytes per command; a stranger pinging without reading must not grow our buffers.
 */
const maxUnreadBytesBeforeAuth = 16 << 10;
const maxUnreadBytesAfterAuth = 1 << 20;
const defaultAuthTimeoutMs = 5000;
/** Refusals at accept are logged at most this often (a flood must not flood the log). */
const refusalLogIntervalMs = 10_000;

/**
 * A player's socket as LivePlayback writes to it. A class, not an object literal with a getter:
 * every player then has the same shape, and the send path, which runs for each player on every
 * publisher read, stays monomorphic.
 */
class SocketPlayerOutput implements PlayerOutput {
  constructor(
    private readonly socket: Socket,
    readonly end: (reason: 'unpublish' | 'too-slow') => void,
  ) {}

  send(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  get queuedBytes(): number {
    return this.socket.writableLength;
  }
}

export class RtmpServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly perAddress = new Map<string, number>();
  private refusedSinceLog = 0;
  private lastRefusalLogAt = -Infinity;
  private readonly pending = new Set<Promise<unknown>>();
  private nextClientId = 1;
  private sweepTimer: NodeJS.Timeout | null = null;
  private shuttingDown = false;
  private readonly now: () => number;

  constructor(private readonly options: RtmpServerOptions) {
    this.now = options.now ?? Date.now;
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => options.logger.error('rtmp server error', { error: error.message }));
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        // Over a cap: closed before a Socket is made (accept() checks again for the rest).
        refuseBeforeSocket(this.server, (address) => {
          const addr = normalizeAddress(address);
          const reason = this.refusal(addressKey(addr));
          if (reason === undefined) return false;
          if (!this.shuttingDown) this.refused(addr, reason);
          return true;
        });
        const address = this.server.address();
        const port = address && typeof address === 'object' ? address.port : this.options.port;
        const sweepEvery = Math.max(100, Math.min(1000, this.options.idleTimeoutMs / 4, this.authTimeoutMs / 4));
        this.sweepTimer = setInterval(() => this.sweep(), sweepEvery);
        this.sweepTimer.unref();
        resolve(port);
      });
    });
  }

  /** Stops accepting, ends every live stream with 'shutdown' and waits for their on_publish_done. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const conn of [...this.connections]) this.drop(conn, 'shutdown', 'server shutting down');
    // Authorizations in flight settle within the callback timeout; their outcome may add done posts.
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await closed;
  }

  /**
   * Ends the live publish of `app`/`name` (the public name) now, as a normal unpublish does:
   * its HLS stream ends, on_publish_done is posted once, the publisher's connection closes.
   * Resolves false when no such publish is live; otherwise once on_publish_done was sent.
   */
  async kick(app: string, name: string): Promise<boolean> {
    if (app !== this.options.app) return false;
    for (const conn of this.connections) {
      const live = conn.publish;
      if (conn.closed || !live || live.name !== name) continue;
      this.endPublish(conn, 'unpublish');
      this.drop(conn, 'unpublish', 'publish ended by the control API');
      await live.done('unpublish');
      return true;
    }
    return false;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  private get authTimeoutMs(): number {
    return this.options.authTimeoutMs ?? defaultAuthTimeoutMs;
  }

  /** Connections open now, and from the address of `addrKey`. */
  connectionCount(addrKey?: string): number {
    return addrKey === undefined ? this.connections.size : (this.perAddress.get(addrKey) ?? 0);
  }

  /** Why a new connection from `key` is refused now, or undefined when it may open. */
  private refusal(key: string): string | undefined {
    if (this.shuttingDown) return 'shutting down';
    const maxTotal = this.options.maxConnections ?? 1000;
    const maxPerAddress = this.options.maxConnectionsPerAddress ?? 10;
    if (this.connections.size >= maxTotal) return `${maxTotal} connections open (--rtmp-max-connections)`;
    if ((this.perAddress.get(key) ?? 0) >= maxPerAddress) return `${maxPerAddress} connections from this address (--rtmp-max-connections-per-address)`;
    return undefined;
  }

  /** Counts a refusal; logged at most every refusalLogIntervalMs. */
  private refused(addr: string, reason: string): void {
    this.refusedSinceLog++;
    const now = this.now();
    if (now - this.lastRefusalLogAt < refusalLogIntervalMs) return;
    this.options.logger.warn('rtmp connections refused', { count: this.refusedSinceLog, addr, reason });
    this.refusedSinceLog = 0;
    this.lastRefusalLogAt = now;
  }

  private accept(socket: Socket): void {
    const addr = normalizeAddress(socket.remoteAddress);
    const key = addressKey(addr);
    const reason = this.refusal(key);
    if (reason !== undefined) {
      socket.destroy();
      if (!this.shuttingDown) this.refused(addr, reason);
      return;
    }
    const fromAddress = this.perAddress.get(key) ?? 0;
    this.perAddress.set(key, fromAddress + 1);
    const now = this.now();
    const conn: Connection = {
      id: this.nextClientId++,
      socket,
      session: new RtmpSession({ app: this.options.app, ...this.options.sessionOptions }),
      addr,
      addrKey: key,
      publishRequested: false,
      openedAt: now,
      lastInputAt: now,
      lastMediaAt: now,
      connected: false,
      closed: false,
      publish: null,
      play: null,
    };
    this.connections.add(conn);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (conn.closed) return;
      conn.lastInputAt = this.now();
      let actions: SessionAction[];
      try {
        actions = conn.session.receive(chunk);
      } catch (error) {
        // Not a ParseError (those come back as close actions): a bug, contained to this connection.
        this.options.logger.error('rtmp session failed', { clientid: conn.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        this.drop(conn, 'error', 'internal error');
        return;
      }
      this.execute(conn, actions);
      // The media of this read is all written: batching outputs (RTMP playback) send it now.
      conn.publish?.sink.flush?.();
    });
    socket.on('error', (error) => {
      this.options.logger.debug('rtmp socket error', { clientid: conn.id, error: error.message });
    });
    socket.on('close', () => {
      if (!conn.closed) this.drop(conn, 'disconnect', 'client disconnected');
      if (this.connections.delete(conn)) {
        const left = (this.perAddress.get(conn.addrKey) ?? 1) - 1;
        if (left > 0) this.perAddress.set(conn.addrKey, left);
        else this.perAddress.delete(conn.addrKey);
      }
    });
  }

  private execute(conn: Connection, actions: readonly SessionAction[]): void {
    const { logger } = this.options;
    for (const action of actions) {
      if (conn.closed) return;
      switch (action.type) {
        case 'send': {
          if (conn.socket.destroyed) break;
          conn.socket.write(action.bytes);
          // A player's queue holds media, bounded by its pacer (player-pacer.ts) at this same cap.
          const maxUnread = conn.play ? (this.options.playback?.maxUnreadBytes ?? maxUnreadBytesAfterAuth) : conn.session.isAuthorized ? maxUnreadBytesAfterAuth : maxUnreadBytesBeforeAuth;
          if (conn.socket.writableLength > maxUnread) this.drop(conn, conn.publish ? 'error' : 'disconnect', `peer left ${conn.socket.writableLength} bytes of replies unread`);
          break;
        }
        case 'connected':
          conn.connected = true;
          // tcUrl without its query: some encoders put the stream key there.
          logger.info('rtmp connect', { clientid: conn.id, addr: conn.addr, app: action.info.app, flashver: action.info.flashVer, tcurl: action.info.tcUrl.split('?')[0] });
          break;
        case 'authorize-publish':
          conn.publishRequested = true;
          // Not read while on_publish decides: whatever the peer sends waits in the kernel.
          conn.socket.pause();
          void this.track(
            this.authorize(conn, action.request).catch((error: unknown) => {
              // Fail closed on anything unexpected in the authorization path.
              logger.error('publish authorization failed', { clientid: conn.id, error: error instanceof Error ? error.message : String(error) });
              if (!conn.closed) this.execute(conn, conn.session.rejectPublish('Unauthorized', 'authorization failed'));
            }),
          );
          break;
        case 'authorize-play':
          conn.publishRequested = true;
          conn.socket.pause();
          void this.track(
            this.authorizePlay(conn, action.request).catch((error: unknown) => {
              logger.error('play authorization failed', { clientid: conn.id, error: error instanceof Error ? error.message : String(error) });
              if (!conn.closed) this.execute(conn, conn.session.rejectPlay('Failed', 'authorization failed'));
            }),
          );
          break;
        case 'play-ended':
          this.endPlay(conn, 'stop');
          break;
        case 'media':
          if (conn.publish) {
            conn.lastMediaAt = this.now();
            conn.publish.sink.write(action.message);
          }
          break;
        case 'publish-ended':
          this.endPublish(conn, 'unpublish');
          break;
        case 'notice':
          logger.info('rtmp notice', { clientid: conn.id, message: action.message });
          break;
        case 'close':
          this.drop(conn, conn.publish ? 'error' : 'disconnect', action.reason);
          break;
      }
    }
  }

  private async authorize(conn: Connection, request: PublishRequest): Promise<void> {
    const { logger, registry, app, hooks } = this.options;
    // The requested name may be the stream key: only its last characters are logged.
    const fields = { clientid: conn.id, addr: conn.addr, key: redactKey(request.name) };
    // Refused before asking the web app: the first publisher keeps going.
    const releaseOriginal = registry.claim(app, [request.name]);
    if (!releaseOriginal) {
      logger.warn('publish denied', { ...fields, reason: 'name already live' });
      this.execute(conn, conn.session.rejectPublish('BadName', 'stream name already live'));
      return;
    }
    const params: NotifyParams = {
      app: request.app,
      flashVer: request.flashVer,
      swfUrl: request.swfUrl,
      tcUrl: request.tcUrl,
      pageUrl: request.pageUrl,
      addr: conn.addr,
      clientId: conn.id,
      name: request.name,
      args: request.args,
      publishType: request.publishType,
    };
    const decision = await hooks.authorize(params);
    if (conn.closed || !conn.session.awaitingAuthorization) {
      releaseOriginal();
      logger.info('publish abandoned', { ...fields, reason: 'client left during on_publish' });
      if (decision.allow) await decision.done(this.shuttingDown ? 'shutdown' : 'disconnect');
      return;
    }
    if (!decision.allow) {
      releaseOriginal();
      logger.warn('publish denied', { ...fields, reason: decision.reason });
      this.execute(conn, conn.session.rejectPublish('Unauthorized', 'publish not authorized'));
      return;
    }
    let release = releaseOriginal;
    if (decision.name !== request.name) {
      const releasePublic = registry.claim(app, [decision.name]);
      if (!releasePublic) {
        releaseOriginal();
        logger.warn('publish denied', { ...fields, name: decision.name, reason: 'renamed stream already live' });
        this.execute(conn, conn.session.rejectPublish('BadName', 'stream name already live'));
        await decision.done('error');
        return;
      }
      release = () => {
        releaseOriginal();
        releasePublic();
      };
    }
    const sink = this.options.outputs.open({ app, name: decision.name, publishedAt: new Date(this.now()), publisherAddress: conn.addr, clientId: conn.id, record: decision.record });
    conn.publish = { name: decision.name, originalName: request.name, sink, done: decision.done, release };
    conn.lastMediaAt = this.now();
    logger.info('publish accepted', { ...fields, name: decision.name, reason: decision.reason });
    this.execute(conn, conn.session.acceptPublish());
    if (!conn.closed) conn.socket.resume();
  }

  private async authorizePlay(conn: Connection, request: PlayRequest): Promise<void> {
    const { logger, app, playback, playHooks } = this.options;
    // Only live public names are played: a stream key never is one, so it is not logged in full.
    const fields = { clientid: conn.id, addr: conn.addr, name: redactKey(request.name) };
    const notFound = (detail: string) => {
      logger.info('play refused', { ...fields, reason: detail });
      this.execute(conn, conn.session.rejectPlay('StreamNotFound', 'no such live stream'));
    };
    if (!playback?.isLive(app, request.name)) return notFound('not live');
    const params: NotifyParams = {
      app: request.app,
      flashVer: request.flashVer,
      swfUrl: request.swfUrl,
      tcUrl: request.tcUrl,
      pageUrl: request.pageUrl,
      addr: conn.addr,
      clientId: conn.id,
      name: request.name,
      args: request.args,
      publishType: '',
    };
    const decision = playHooks ? await playHooks.authorize(params, request) : { allow: true as const, reason: 'no on_play configured', done: () => Promise.resolve() };
    if (conn.closed || !conn.session.awaitingPlayAuthorization) {
      logger.info('play abandoned', { ...fields, reason: 'client left during on_play' });
      if (decision.allow) await decision.done('disconnect');
      return;
    }
    if (!decision.allow) {
      logger.warn('play denied', { ...fields, reason: decision.reason });
      this.execute(conn, conn.session.rejectPlay('Failed', 'play not authorized'));
      return;
    }
    if (!playback.isLive(app, request.name)) {
      notFound('stream ended during on_play');
      await decision.done('unpublish');
      return;
    }
    this.execute(conn, conn.session.acceptPlay());
    if (conn.closed) {
      await decision.done('disconnect');
      return;
    }
    let detach: (() => void) | null = null;
    const play: LivePlay = { name: request.name, detach: () => detach?.(), done: decision.done };
    conn.play = play;
    detach = playback.join(
      app,
      request.name,
      new SocketPlayerOutput(conn.socket, (reason) => {
        if (conn.play !== play) return;
        conn.play = null;
        void this.track(play.done(reason));
        logger.info(reason === 'too-slow' ? 'player dropped' : 'play ended', { ...fields, reason });
        this.execute(conn, conn.session.endPlayback(reason === 'too-slow' ? 'player too far behind' : 'stream unpublished'));
        if (!conn.closed) this.drop(conn, 'disconnect', reason);
      }),
    );
    logger.info('play started', { ...fields, reason: decision.reason });
    if (!conn.closed) conn.socket.resume();
  }

  private endPlay(conn: Connection, reason: string): void {
    const play = conn.play;
    if (!play) return;
    conn.play = null;
    play.detach();
    this.options.logger.info('play ended', { clientid: conn.id, name: play.name, reason });
    void this.track(play.done(reason));
  }

  private endPublish(conn: Connection, reason: StreamEndReason): void {
    const live = conn.publish;
    if (!live) return;
    conn.publish = null;
    try {
      live.sink.end(reason);
    } finally {
      live.release();
      this.options.logger.info('unpublish', { clientid: conn.id, name: live.name, reason, key: redactKey(live.originalName) });
      void this.track(live.done(reason));
    }
  }

  /** Ends the connection (and its publish, if any) with a logged reason. */
  private drop(conn: Connection, reason: StreamEndReason, detail: string): void {
    if (conn.closed) return;
    conn.closed = true;
    this.endPublish(conn, reason);
    this.endPlay(conn, reason);
    this.options.logger.info('rtmp disconnect', { clientid: conn.id, addr: conn.addr, reason: detail });
    const { socket } = conn;
    // Nothing more is read (a peer dropped for garbage would otherwise keep us reading it); end()
    // flushes a final onStatus before the FIN; destroy() follows in case the peer never reads.
    socket.pause();
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
    if (reason === 'shutdown') socket.destroy();
  }

  private sweep(): void {
    const now = this.now();
    const authTimeoutMs = this.authTimeoutMs;
    for (const conn of this.connections) {
      if (conn.closed) continue;
      if (!conn.publishRequested && now - conn.openedAt > authTimeoutMs) {
        this.drop(conn, 'disconnect', `no publish or play within ${authTimeoutMs} ms of connecting`);
      } else if (conn.publish && now - conn.lastMediaAt > this.options.idleTimeoutMs) {
        this.drop(conn, 'idle-timeout', `no media for ${this.options.idleTimeoutMs} ms`);
      } else if (!conn.publish && !conn.play && !conn.session.awaitingAuthorization && !conn.session.awaitingPlayAuthorization && now - conn.lastInputAt > this.options.idleTimeoutMs) {
        this.drop(conn, 'disconnect', `idle for ${this.options.idleTimeoutMs} ms without publishing`);
      }
    }
  }
}
