// The web app's one Logger: one JSON line per event on stdout (info) or stderr (warn, error),
// greppable by `event`. Callers choose the fields, and a field never holds a stream key, a
// password, a token or a secret (test/integration/nginx-rtmp-no-key-in-logs.test.ts checks the
// publish paths): log a slug, an id or a reason code instead. Tests pass their own object literal.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const line = (level: string, event: string, fields: LogFields | undefined): string => JSON.stringify({ level, event, ...fields });

export const consoleLogger: Logger = {
  info: (event, fields) => console.log(line('info', event, fields)),
  warn: (event, fields) => console.warn(line('warn', event, fields)),
  error: (event, fields) => console.error(line('error', event, fields)),
};

/** An error as one log field: its message (never a whole object, which may carry request data). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
