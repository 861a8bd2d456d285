// One error vocabulary for route handlers and lib functions, mapped to HTTP statuses in one table
// (dub's `DubApiError` pattern). Anything that is not an AppError becomes a logged, generic 500.
// Route handlers get toResponse through lib/route-handler.ts (withErrorResponse).
import { ZodError } from 'zod';
import { consoleLogger, type Logger } from './logger';

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_server_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Seconds until a rate-limited client may retry (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** JSON error response: AppError keeps its status, ZodError is 422, anything else a logged 500. */
export function toResponse(error: unknown, logger: Logger = consoleLogger): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers });
  }
  if (error instanceof ZodError) {
    return Response.json(
      { error: { code: 'unprocessable_entity', message: 'invalid input', issues: error.issues } },
      { status: 422 },
    );
  }
  logger.error('unhandled_error', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
  return Response.json({ error: { code: 'internal_server_error', message: 'internal server error' } }, { status: 500 });
}
