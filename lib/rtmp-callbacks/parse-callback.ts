// Checks the content type, then parses the nginx-rtmp notify form (the only callback form OnAir
// speaks: nginx-rtmp and the bundled media server both send it).
import { parseNginxRtmpForm } from './parse-nginx-rtmp';
import { CallbackParseError, type PublishCallback } from './types';

export function parseCallback(contentType: string | null, body: string): PublishCallback {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // nginx-rtmp always sends the form type; accept a missing type too (curl tests, old proxies).
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === '') return parseNginxRtmpForm(body);
  throw new CallbackParseError(`unsupported content type "${mediaType.slice(0, 64)}"`);
}
