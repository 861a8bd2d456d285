// The chat routes' shared steps, in the contract's order: session (401), same origin (403), then a
// bounded JSON body checked by zod (413 / 400 / 422).
import type { z } from 'zod';
import { AppError } from '../errors';
import { readBoundedBody } from '../read-bounded-body';
import { requireSameOrigin } from '../same-origin';
import { requireUserOrThrow, type CurrentUser } from '../session';
import { CHAT_BODY_MAX_BYTES } from './limits';

/** The signed-in user of a mutating chat request from this site. */
export async function requireChatMutation(request: Request): Promise<CurrentUser> {
  const user = await requireUserOrThrow();
  requireSameOrigin(request.headers);
  return user;
}

export async function readChatBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await readBoundedBody(request.body, CHAT_BODY_MAX_BYTES);
  if (text === null) throw new AppError('payload_too_large', `The request body is over ${CHAT_BODY_MAX_BYTES} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The request body is not JSON.');
  }
  return schema.parse(json);
}

/** A message id from a URL: the decimal sequence number. */
export function parseMessageId(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new AppError('not_found', 'No such message.');
  return Number(value);
}
