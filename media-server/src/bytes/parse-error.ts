// The one error type every byte parser of the ingest path (amf/, flv/, rtmp/) throws. `code` is
// stable and machine-readable (tests and the server's close-reason log use it); `message` says
// exactly what was wrong where.

export type ParseErrorCode =
  | 'buffer-too-short'
  | 'invalid-version'
  | 'invalid-handshake'
  | 'invalid-chunk-header'
  | 'chunk-size-out-of-range'
  | 'message-too-large'
  | 'too-many-chunk-streams'
  | 'buffer-limit-exceeded'
  | 'invalid-message'
  | 'unknown-message-type'
  | 'amf0-unsupported-type'
  | 'amf0-too-deep'
  | 'amf0-too-long'
  | 'amf0-invalid'
  | 'flv-invalid-tag'
  | 'flv-unsupported-codec';

export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly code: ParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws `buffer-too-short` unless `need` bytes are available at `offset` in a buffer of `length`. */
export function ensureAvailable(length: number, offset: number, need: number, what: string): void {
  if (offset + need > length) {
    throw new ParseError('buffer-too-short', `${what}: need ${need} bytes at offset ${offset}, have ${Math.max(0, length - offset)}`);
  }
}
