// The one wrapper for route handlers' errors: whatever the handler throws becomes toResponse's
// answer (an AppError its own status, a ZodError 422, anything else a logged generic 500), so a
// handler is only its happy path. `mapError` turns a lib error into an AppError first.
import { toResponse } from './errors';

export function withErrorResponse<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response> | Response,
  mapError: (error: unknown) => unknown = (error) => error,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return toResponse(mapError(error));
    }
  };
}
