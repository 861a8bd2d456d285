// One chat reader: holds a channel's chat event stream open the way EventSource does (reconnecting
// with Last-Event-ID when the server closes it), checks that message ids arrive in the server's
// order, and reports when it received each message of the measurement window.
import { request, type ClientRequest } from 'node:http';
import { OrderCheck } from './chat-stats.js';
import { SseParser, type SseEvent } from './sse-parser.js';
import { epochNow } from './time.js';

export interface ChatReaderStats {
  /** The server answered 200 at least once. */
  connected: boolean;
  /** Events of any kind dispatched, over the whole run. */
  events: number;
  /** Distinct message ids received after the window's mark, in arrival order. */
  ids: number[];
  /** Ids at or below one seen before, over the whole run (lib/chat-stats.ts OrderCheck). */
  orderViolations: number;
  /** Streams the server ended (or that failed) after the mark, each followed by a reconnect. */
  reconnects: number;
  /** Answers other than 200, failed connections and unparseable events. */
  errors: number;
  firstError?: string;
}

export interface ChatReaderOptions {
  /** Called with a message id and epochNow() when this reader first has it (after the mark only). */
  onReceived: (id: number, epochMs: number) => void;
}

/** EventSource's reconnection time until the server sends `retry:`. */
const defaultRetryMs = 3_000;

interface MessageView {
  id: string;
}

export class ChatReader {
  private readonly order = new OrderCheck();
  private readonly received = new Set<number>();
  private readonly ids: number[] = [];
  private marked = false;
  private stopped = false;
  private connected = false;
  private historyReceived = false;
  private events = 0;
  private reconnects = 0;
  private errors = 0;
  private firstError: string | undefined;
  private lastEventId = '';
  private retryMs = defaultRetryMs;
  private current: ClientRequest | undefined;
  /** Bumped per connection, so late events of a closed one cannot schedule a second reconnect. */
  private connection = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly options: ChatReaderOptions,
  ) {}

  start(): void {
    this.connect();
  }

  /** Connected and caught up: it has had its first chat-history. */
  get ready(): boolean {
    return this.historyReceived;
  }

  markWindowStart(): void {
    this.marked = true;
    this.reconnects = 0;
  }

  stop(): ChatReaderStats {
    this.stopped = true;
    clearTimeout(this.timer);
    this.current?.destroy();
    const stats: ChatReaderStats = { connected: this.connected, events: this.events, ids: this.ids, orderViolations: this.order.violations, reconnects: this.reconnects, errors: this.errors };
    if (this.firstError !== undefined) stats.firstError = this.firstError;
    return stats;
  }

  private connect(): void {
    const connection = ++this.connection;
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (this.lastEventId !== '') headers['last-event-id'] = this.lastEventId;
    const req = request(this.url, { agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        this.fail(`HTTP ${res.statusCode ?? 0}`);
        res.resume();
        req.destroy();
        this.reconnectLater(connection);
        return;
      }
      this.connected = true;
      const parser = new SseParser();
      const decoder = new TextDecoder();
      res.on('data', (chunk: Buffer) => {
        const at = epochNow();
        try {
          for (const event of parser.push(decoder.decode(chunk, { stream: true }))) this.handle(event, at);
        } catch (error) {
          this.fail(error instanceof Error ? error.message : String(error));
          req.destroy();
        }
        if (parser.retryMs !== undefined) this.retryMs = parser.retryMs;
      });
      res.on('error', () => undefined); // the 'close' below reconnects
      res.on('close', () => this.reconnectLater(connection));
    });
    req.on('error', (error) => {
      this.fail(error.message);
      this.reconnectLater(connection);
    });
    req.end();
    this.current = req;
  }

  private handle(event: SseEvent, at: number): void {
    this.lastEventId = event.lastEventId;
    this.events++;
    if (event.event === 'chat-message') {
      const id = Number((JSON.parse(event.data) as MessageView).id);
      this.order.message(id);
      this.receive(id, at);
    } else if (event.event === 'chat-history') {
      this.historyReceived = true;
      const { messages } = JSON.parse(event.data) as { messages: MessageView[] };
      for (const id of this.order.history(messages.map((m) => Number(m.id)))) this.receive(id, at);
    }
  }

  private receive(id: number, at: number): void {
    if (!this.marked || this.received.has(id)) return;
    this.received.add(id);
    this.ids.push(id);
    this.options.onReceived(id, at);
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.errors++;
    this.firstError ??= message;
  }

  private reconnectLater(connection: number): void {
    if (this.stopped || connection !== this.connection || this.timer !== undefined) return;
    if (this.marked) this.reconnects++;
    this.current = undefined;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) this.connect();
    }, this.retryMs);
  }
}
