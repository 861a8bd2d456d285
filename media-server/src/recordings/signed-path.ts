// Signed recording URLs (CONTRACT-15 item 5), sans-I/O:
//   /recordings/<exp>.<sig>/<app>/<name>/<broadcastId>/<file>
// exp = expiry, unix seconds; sig = base64url (no padding) of HMAC-SHA256(key = the API token as
// UTF-8, message = `<exp>/<app>/<name>/<broadcastId>`). One token covers the whole broadcast, so
// the playlist's relative URIs keep working. Every component is checked against its pattern on
// the raw path: no `..`, no percent-encoding (so no encoded slash), nothing a file name could abuse.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const recordingPatterns = {
  /** config.ts's --app rule. */
  app: /^[A-Za-z0-9_.-]{1,64}$/,
  /** A public stream name (on_publish's rename rule). */
  name: /^[A-Za-z0-9_.~-]{1,128}$/,
  broadcastId: /^[a-z0-9]{8,32}$/,
  /** The recorder's files, the playlist and the web app's download. */
  file: /^(?:[a-z0-9-]{1,64}\.(?:mp4|m4s)|index\.m3u8)$/,
};

export interface RecordingPath {
  readonly expires: number;
  readonly signature: string;
  readonly app: string;
  readonly name: string;
  readonly broadcastId: string;
  readonly file: string;
}

const prefix = '/recordings/';
const tokenPattern = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function isRecordingsPath(path: string): boolean {
  return path.startsWith(prefix);
}

/** The parts of a /recordings/ path, or undefined when any part breaks its pattern. */
export function parseRecordingPath(path: string): RecordingPath | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/');
  if (parts.length !== 5) return undefined;
  const [token, app, name, broadcastId, file] = parts as [string, string, string, string, string];
  const match = tokenPattern.exec(token);
  if (!match) return undefined;
  if (!recordingPatterns.app.test(app) || !recordingPatterns.name.test(name) || !recordingPatterns.broadcastId.test(broadcastId) || !recordingPatterns.file.test(file)) return undefined;
  // The name pattern allows dots: a lone '.' or '..' would name another folder.
  if (app === '.' || app === '..' || name === '.' || name === '..') return undefined;
  return { expires: Number(match[1]), signature: match[2]!, app, name, broadcastId, file };
}

function signatureOf(key: string, expires: number, app: string, name: string, broadcastId: string): Buffer {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(`${expires}/${app}/${name}/${broadcastId}`).digest();
}

/** The token of a broadcast (the web app signs the same way; tests use this). */
export function signRecordingToken(key: string, expires: number, app: string, name: string, broadcastId: string): string {
  return `${expires}.${signatureOf(key, expires, app, name, broadcastId).toString('base64url')}`;
}

export type TokenCheck = 'ok' | 'expired' | 'bad-signature';

/** `nowSeconds`: unix seconds. Constant-time comparison of the signature. */
export function checkRecordingToken(key: string, path: RecordingPath, nowSeconds: number): TokenCheck {
  const expected = signatureOf(key, path.expires, path.app, path.name, path.broadcastId);
  const given = Buffer.from(path.signature, 'base64url');
  // 43 base64url characters carry 258 bits: the last two must be zero for the canonical form.
  if (given.length !== expected.length || given.toString('base64url') !== path.signature || !timingSafeEqual(given, expected)) return 'bad-signature';
  if (path.expires <= nowSeconds) return 'expired';
  return 'ok';
}
