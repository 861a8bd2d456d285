// Turns a decision into the answer each media server understands.
//   nginx-rtmp: 2xx allows; 3xx with Location renames the stream to that name; 4xx/5xx drops.
//   SRS:        HTTP 200 with body `0` allows; anything else denies.
//   MediaMTX:   2xx allows; anything else denies.
import type { PublishDecision } from './authorize-publish';
import type { CallbackDialect } from './types';

export interface CallbackAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };

export function allowAnswer(dialect: CallbackDialect): CallbackAnswer {
  return { status: 200, headers: TEXT, body: dialect === 'nginx-rtmp' ? 'OK\n' : '0' };
}

export function denyAnswer(reason: string): CallbackAnswer {
  return { status: 403, headers: TEXT, body: `${reason}\n` };
}

export function answerPublish(dialect: CallbackDialect, decision: PublishDecision): CallbackAnswer {
  if (!decision.allow) return denyAnswer(decision.message);
  // Only nginx-rtmp can rename; SRS and MediaMTX keep the published name.
  if (dialect === 'nginx-rtmp' && decision.form === 'key-as-name') {
    return { status: 302, headers: { ...TEXT, Location: decision.slug }, body: `renamed to ${decision.slug}\n` };
  }
  return allowAnswer(dialect);
}

export function toWebResponse(answer: CallbackAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
