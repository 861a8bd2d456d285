// A text/event-stream reader for tests against the real app: fetch() with the headers an
// EventSource would send (Last-Event-ID, cookies), parsed into events as they arrive.
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
  readonly id: string | null;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  ended = false;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  private constructor(response: Response) {
    this.status = response.status;
    this.done = this.pump(response).catch(() => undefined).finally(() => {
      this.ended = true;
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(response);
    client.abort.signal.addEventListener('abort', () => abort.abort());
    return client;
  }

  private async pump(response: Response): Promise<void> {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let id: string | null = null;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) this.events.push({ event, id, data: JSON.parse(data.join('\n')) as unknown });
      }
    }
  }

  named(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  /** Waits until `check` holds for the events so far. */
  async waitFor(check: (events: readonly SseEvent[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.events)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.event, e.id]))}`);
      if (this.ended) throw new Error(`stream ended before ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
