// Turns a decision into the answer nginx-rtmp (and the bundled media server) understands:
// 2xx allows; 3xx with Location renames the stream to that name; 4xx/5xx drops.
import type { PublishDecision } from './authorize-publish';

export interface CallbackAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };

export function allowAnswer(): CallbackAnswer {
  return { status: 200, headers: TEXT, body: 'OK\n' };
}

export function denyAnswer(reason: string): CallbackAnswer {
  return { status: 403, headers: TEXT, body: `${reason}\n` };
}

export function answerPublish(decision: PublishDecision): CallbackAnswer {
  if (!decision.allow) return denyAnswer(decision.reason);
  if (decision.form === 'key-as-name') {
    return { status: 302, headers: { ...TEXT, Location: decision.name }, body: `renamed to ${decision.name}\n` };
  }
  return allowAnswer();
}

export function toWebResponse(answer: CallbackAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
