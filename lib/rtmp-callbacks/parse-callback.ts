// Picks the dialect from the content type and the body's shape. All three media servers post to
// the same endpoint, so the app needs no per-server configuration.
import { parseMediaMtxAuth, isMediaMtxAuth } from './parse-mediamtx';
import { parseNginxRtmpForm } from './parse-nginx-rtmp';
import { isSrsHook, parseSrsHook } from './parse-srs';
import { CallbackParseError, type PublishCallback } from './types';

export function parseCallback(contentType: string | null, body: string): PublishCallback {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      // Not V8's message: it quotes the start of the body, which may be a stream key (logged).
      if (!(error instanceof SyntaxError)) throw error;
      throw new CallbackParseError(`body is not JSON (${body.length} characters)`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new CallbackParseError('JSON body must be an object');
    }
    const object = json as Record<string, unknown>;
    if (isSrsHook(object)) return parseSrsHook(object);
    if (isMediaMtxAuth(object)) return parseMediaMtxAuth(object);
    throw new CallbackParseError('JSON body is neither an SRS http_hook nor a MediaMTX auth request');
  }
  // nginx-rtmp always sends the form type; accept a missing type too (curl tests, old proxies).
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === '') return parseNginxRtmpForm(body);
  throw new CallbackParseError(`unsupported content type "${mediaType.slice(0, 64)}"`);
}
