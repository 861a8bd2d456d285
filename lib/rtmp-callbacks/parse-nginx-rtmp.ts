// nginx-rtmp notify callbacks (`on_publish`, `on_publish_done`, `on_update`, `on_play`, `on_play_done`), as captured in
// test/fixtures/nginx-rtmp-callbacks.txt and nginx-rtmp-on-update.txt: POST application/x-www-form-urlencoded with
//   app, flashver, swfurl, tcurl, pageurl, addr, clientid, call, [time, timestamp (update only)], name, type (publish only),
//   [start, duration, reset (play only)]
// followed by the publish URL's own query arguments (`live/good?token=abc&x=1` adds token, x).
import { CallbackParseError, MAX_FIELD_LENGTH, MAX_FIELDS, type CallbackKind, type PublishCallback } from './types';

/** Fields nginx-rtmp itself sends; every other field is a query argument of the publish URL. */
const STANDARD_FIELDS = new Set(['app', 'flashver', 'swfurl', 'tcurl', 'pageurl', 'addr', 'clientid', 'call', 'time', 'timestamp', 'name', 'type', 'start', 'duration', 'reset']);

const KINDS: Record<string, CallbackKind> = { publish: 'publish', publish_done: 'publish_done', update_publish: 'update', play: 'play', play_done: 'play_done' };

export function parseNginxRtmpForm(body: string): PublishCallback {
  const fields = new Map<string, string>();
  const args: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of new URLSearchParams(body)) {
    if (++count > MAX_FIELDS) throw new CallbackParseError(`more than ${MAX_FIELDS} fields`);
    if (key.length > MAX_FIELD_LENGTH || value.length > MAX_FIELD_LENGTH) {
      throw new CallbackParseError(`field "${key.slice(0, 32)}" is longer than ${MAX_FIELD_LENGTH}`);
    }
    // A query argument may repeat a standard name (`?name=x`); nginx writes its own field first.
    if (STANDARD_FIELDS.has(key)) {
      if (!fields.has(key)) fields.set(key, value);
      else if (!Object.hasOwn(args, key)) args[key] = value;
    } else if (!Object.hasOwn(args, key)) {
      args[key] = value;
    }
  }
  const call = fields.get('call');
  if (call === undefined) throw new CallbackParseError('missing field "call"');
  const name = fields.get('name');
  if (name === undefined) throw new CallbackParseError('missing field "name"');
  return {
    kind: KINDS[call] ?? 'other',
    app: fields.get('app') ?? '',
    name,
    args,
    addr: fields.get('addr') ?? '',
    clientId: fields.get('clientid') ?? '',
    flashVer: fields.get('flashver') ?? '',
  };
}
