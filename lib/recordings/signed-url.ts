// Signed recording URLs (CONTRACT-15 item 5):
//   /recordings/<exp>.<sig>/<app>/<name>/<recordingId>/<file>
//   sig = base64url(HMAC-SHA256(key = MEDIA_SERVER_API_TOKEN, message = "<exp>/<app>/<name>/<recordingId>"))
// One token covers the whole broadcast, so the playlist's relative URIs keep working. Pure: the
// caller passes the key and the current time; the media server checks the same token without a database.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRecordingRef, isServableFile, type RecordingRef } from './layout';

export const RECORDINGS_PREFIX = '/recordings/';
/** Longest URI path considered at all (the real ones are ~150 characters). */
const MAX_PATH_LENGTH = 512;
const EXP_PATTERN = /^[0-9]{1,12}$/;
const SIG_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type TokenCheck = 'ok' | 'expired' | 'bad-signature' | 'malformed';

function signature(key: string, exp: number, ref: RecordingRef): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(`${exp}/${ref.app}/${ref.name}/${ref.recordingId}`, 'utf8').digest('base64url');
}

/** `<exp>.<sig>` for this broadcast, valid until `expSeconds` (unix seconds). */
export function signToken(key: string, expSeconds: number, ref: RecordingRef): string {
  if (!key) throw new Error('no signing key');
  if (!Number.isSafeInteger(expSeconds) || expSeconds < 0) throw new Error('expiry must be whole unix seconds');
  if (!isRecordingRef(ref)) throw new Error('not a recording reference');
  return `${expSeconds}.${signature(key, expSeconds, ref)}`;
}

/** Checks a token against a broadcast at `nowSeconds`. */
export function verifyToken(key: string, token: string, ref: RecordingRef, nowSeconds: number): TokenCheck {
  if (!key) return 'bad-signature';
  const dot = token.indexOf('.');
  const exp = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (dot < 0 || !EXP_PATTERN.test(exp) || !SIG_PATTERN.test(sig) || !isRecordingRef(ref)) return 'malformed';
  const expected = Buffer.from(signature(key, Number(exp), ref), 'utf8');
  const presented = Buffer.from(sig, 'utf8');
  if (!timingSafeEqual(expected, presented)) return 'bad-signature';
  return Number(exp) <= nowSeconds ? 'expired' : 'ok';
}

export interface RecordingPath extends RecordingRef {
  token: string;
  file: string;
}

/**
 * Splits `/recordings/<token>/<app>/<name>/<recordingId>/<file>` (a query string is ignored);
 * null for anything else, including `..`, percent-encoding and doubled slashes.
 */
export function parseRecordingPath(uri: string): RecordingPath | null {
  if (uri.length > MAX_PATH_LENGTH) return null;
  const path = uri.split('?')[0] ?? '';
  if (!path.startsWith(RECORDINGS_PREFIX) || path.includes('%') || path.includes('\\')) return null;
  const parts = path.slice(RECORDINGS_PREFIX.length).split('/');
  if (parts.length !== 5) return null;
  const [token = '', app = '', name = '', recordingId = '', file = ''] = parts;
  const ref = { app, name, recordingId };
  if (!isRecordingRef(ref) || !isServableFile(file) || token === '') return null;
  return { token, file, ...ref };
}

/** The path (no origin) of one file of a broadcast under a token. */
export function recordingPath(token: string, ref: RecordingRef, file: string): string {
  return `${RECORDINGS_PREFIX}${token}/${ref.app}/${ref.name}/${ref.recordingId}/${file}`;
}

/** Seconds the file of `uri` may be served and cached from now; null when it may not be served (nginx's auth_request). */
export function authorizeRecordingUri(key: string, uri: string, nowSeconds: number): number | null {
  const parsed = parseRecordingPath(uri);
  if (parsed === null || verifyToken(key, parsed.token, parsed, nowSeconds) !== 'ok') return null;
  return Number(parsed.token.split('.')[0]) - nowSeconds;
}
