// Decision log for callbacks. Fields are chosen by the caller and never include a stream key.
export interface CallbackLogger {
  info(event: string, fields: Record<string, unknown>): void;
  warn(event: string, fields: Record<string, unknown>): void;
}

/** One JSON line per decision on stdout/stderr, greppable by `event`. */
export const consoleCallbackLogger: CallbackLogger = {
  info: (event, fields) => console.log(JSON.stringify({ level: 'info', event, ...fields })),
  warn: (event, fields) => console.warn(JSON.stringify({ level: 'warn', event, ...fields })),
};

export const silentCallbackLogger: CallbackLogger = { info: () => undefined, warn: () => undefined };
