// Loggers for tests (lib/logger.ts is the interface).
import type { LogFields, Logger } from '../../lib/logger';

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields: LogFields;
}

/** Keeps every line; `text()` is what the console logger would have printed, for "no key in a log" checks. */
export function recordingLogger(): Logger & { lines: LoggedLine[]; text(): string } {
  const lines: LoggedLine[] = [];
  const record = (level: LoggedLine['level']) => (event: string, fields: LogFields = {}) => void lines.push({ level, event, fields });
  return {
    lines,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    text: () => lines.map(({ level, event, fields }) => JSON.stringify({ level, event, ...fields })).join('\n'),
  };
}
