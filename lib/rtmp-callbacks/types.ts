// The one shape every media server's callback is parsed into, whatever its dialect.

export type CallbackDialect = 'nginx-rtmp' | 'srs' | 'mediamtx';

/** `update`: nginx-rtmp's on_update heartbeat for a running publish (`call=update_publish`). */
export type CallbackKind = 'publish' | 'publish_done' | 'update' | 'other';

export interface PublishCallback {
  dialect: CallbackDialect;
  kind: CallbackKind;
  /** The dialect's own name for the event (`publish`, `on_unpublish`, `read`...), for logs. */
  action: string;
  /** RTMP application (`live`). */
  app: string;
  /** Stream name as published: the secret key (form a) or the channel slug (form b). */
  name: string;
  /** Query arguments of the publish URL (`<name>?key=...`): `args.key` selects form b. */
  args: Record<string, string>;
  /** Publisher's IP address as the media server saw it. */
  addr: string;
  /** The media server's per-connection id. */
  clientId: string;
  /** Publisher software (`flashver`), empty when the dialect does not send it. */
  flashVer: string;
}

export class CallbackParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackParseError';
  }
}

/** Longest value accepted in any callback field; longer means not a media server talking. */
export const MAX_FIELD_LENGTH = 2048;
/** Most fields (standard plus query arguments) accepted in one callback. */
export const MAX_FIELDS = 64;
/** Largest callback body read from the wire. */
export const MAX_CALLBACK_BODY_BYTES = 16 * 1024;

export function boundedString(value: unknown, field: string, { required = false } = {}): string {
  if (value === undefined || value === null) {
    if (required) throw new CallbackParseError(`missing field "${field}"`);
    return '';
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new CallbackParseError(`field "${field}" must be a string`);
  if (value.length > MAX_FIELD_LENGTH) throw new CallbackParseError(`field "${field}" is longer than ${MAX_FIELD_LENGTH}`);
  return value;
}

/** Parses a `a=1&b=2` query (with or without a leading `?`) into bounded args; the first of a repeated name wins. */
export function parseQueryArgs(query: string): Record<string, string> {
  const text = query.startsWith('?') ? query.slice(1) : query;
  const args: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_FIELDS) throw new CallbackParseError(`more than ${MAX_FIELDS} query arguments`);
    if (key.length > MAX_FIELD_LENGTH || value.length > MAX_FIELD_LENGTH) {
      throw new CallbackParseError('query argument too long');
    }
    if (!Object.hasOwn(args, key)) args[key] = value;
  }
  return args;
}
