// An incremental text/event-stream parser, sans-I/O: push() the decoded text as it arrives, get the
// dispatched events back. Follows the HTML Living Standard's "Server-sent events" 9.2.6
// ("Interpreting an event stream") for the fields the bench needs: event, data, id, retry.
// Comments (lines starting with ':') and unknown fields are ignored, as EventSource does.

export interface SseEvent {
  /** The `event:` field, "message" when there was none. */
  readonly event: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
  /** The last event ID buffer at dispatch (an `id:` persists until the next one, as in EventSource). */
  readonly lastEventId: string;
}

/** A line longer than this is a broken stream, not something to buffer without end. */
export const MAX_SSE_LINE_CHARS = 1024 * 1024;

export class SseParser {
  private buffer = '';
  private eventType = '';
  private data: string[] = [];
  private lastEventId = '';
  /** The last valid `retry:` value, ms. */
  retryMs: number | undefined;

  push(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) break;
      // "\r\n" is one line end; a "\r" at the end of the text may be the first half of one.
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (end === this.buffer.length - 1) break;
        if (this.buffer[end + 1] === '\n') next = end + 2;
      }
      const event = this.line(this.buffer.slice(start, end));
      if (event) events.push(event);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > MAX_SSE_LINE_CHARS) throw new Error(`event-stream line longer than ${MAX_SSE_LINE_CHARS} characters`);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const event = this.eventType || 'message';
    this.data = [];
    this.eventType = '';
    // "If the data buffer is an empty string, set the data buffer and the event type buffer to
    // the empty string and return": a block with no data line dispatches nothing.
    if (data.length === 0) return undefined;
    return { event, data: data.join('\n'), lastEventId: this.lastEventId };
  }
}
