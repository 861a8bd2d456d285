// The chat phase's senders: signed-in users posting to one channel's chat, open-loop at a fixed
// total rate (message i is due at start + i / rate and sent then, whatever the earlier ones got),
// taking turns. Each message's send time is taken just before its POST; the server's 201 names
// the id readers will see, which ties the two together.
import { Agent, request } from 'node:http';
import { epochNow, sleep } from './time.js';

export interface ChatSender {
  /** The session cookie header of a signed-in user. */
  cookie: string;
}

export interface SentMessage {
  /** Server-assigned id (from the 201), undefined when the POST was refused or failed. */
  id?: number;
  /** epochNow() just before the POST. */
  sentAt: number;
  status: number;
  /** POST -> response, ms. */
  responseMs: number;
  error?: string;
}

export interface SendLoad {
  /** `<app url>/api/channels/<slug>/chat/messages` */
  url: string;
  senders: readonly ChatSender[];
  ratePerSecond: number;
  timeoutMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, cookie: string, text: string, timeoutMs: number): Promise<SentMessage> {
  const body = JSON.stringify({ text });
  const sentAt = epochNow();
  return new Promise((resolve) => {
    const done = (result: Omit<SentMessage, 'sentAt' | 'responseMs'>) => resolve({ ...result, sentAt, responseMs: epochNow() - sentAt });
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        // The app refuses a mutation whose Origin is not its own host.
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie, origin: new URL(url).origin },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (status !== 201) return done({ status, error: `HTTP ${status}: ${text.slice(0, 200)}` });
          try {
            done({ status, id: Number((JSON.parse(text) as { message: { id: string } }).message.id) });
          } catch {
            done({ status, error: `HTTP 201 without a message id: ${text.slice(0, 200)}` });
          }
        });
        res.on('error', (error) => done({ status: res.statusCode ?? 0, error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (error) => done({ status: 0, error: error.message }));
    req.end(body);
  });
}

/** Sends until `signal` aborts; resolves with every message once all answers are in. */
export async function runChatSenders(load: SendLoad, signal: AbortSignal): Promise<SentMessage[]> {
  const intervalMs = 1000 / load.ratePerSecond;
  const start = performance.now();
  const pending: Array<Promise<SentMessage>> = [];
  for (let i = 0; !signal.aborted; i++) {
    const wait = start + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    if (signal.aborted) break;
    const sender = load.senders[i % load.senders.length];
    if (!sender) throw new Error('no chat senders');
    // Distinct texts: the app damps a user's repeated message.
    pending.push(post(load.url, sender.cookie, `bench message ${i} from sender ${i % load.senders.length}`, load.timeoutMs));
  }
  return Promise.all(pending);
}
