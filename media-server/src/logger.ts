// One log line per event, `key=value` fields after the message, so operators can grep and parse.
// Injected everywhere as the Logger interface; tests pass a recording logger.

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

export function formatLine(level: LogLevel, message: string, fields: LogFields = {}, now = new Date()): string {
  const parts = [now.toISOString(), level.toUpperCase().padEnd(5), message];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

/** Writes to stdout (debug/info) and stderr (warn/error), dropping lines below `minLevel`. */
export function createConsoleLogger(minLevel: LogLevel = 'info'): Logger {
  const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (levelRank[level] < levelRank[minLevel]) return;
    const stream = levelRank[level] >= levelRank.warn ? process.stderr : process.stdout;
    stream.write(formatLine(level, message, fields) + '\n');
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that keeps lines in memory, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
    lines.push(formatLine(level, message, fields, new Date(0)));
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * A stream key as it may appear in a log line: its last 4 characters at most (`…ab12`), enough
 * to tell two keys apart, useless to publish with. Short names show nothing.
 */
export function redactKey(key: string): string {
  return key.length <= 8 ? '…' : `…${key.slice(-4)}`;
}
