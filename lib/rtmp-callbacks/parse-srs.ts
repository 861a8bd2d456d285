// SRS `http_hooks` (on_publish / on_unpublish): POST application/json such as
//   {"server_id":"vid-...","service_id":"...","action":"on_publish","client_id":"341w361a",
//    "ip":"127.0.0.1","vhost":"__defaultVhost__","app":"live","tcUrl":"rtmp://127.0.0.1:1935/live",
//    "stream":"livestream","param":"?key=secret","stream_url":"/live/livestream","stream_id":"vid-..."}
// SRS allows the publish only on HTTP 200 with body `0` (or {"code":0}).
import { boundedString, CallbackParseError, parseQueryArgs, type CallbackKind, type PublishCallback } from './types';

const KINDS: Record<string, CallbackKind> = { on_publish: 'publish', on_unpublish: 'publish_done' };

export function isSrsHook(body: Record<string, unknown>): boolean {
  return typeof body.action === 'string' && body.action.startsWith('on_') && 'stream' in body;
}

export function parseSrsHook(body: Record<string, unknown>): PublishCallback {
  const action = boundedString(body.action, 'action', { required: true });
  const stream = boundedString(body.stream, 'stream', { required: true });
  if (stream === '') throw new CallbackParseError('empty field "stream"');
  return {
    dialect: 'srs',
    kind: KINDS[action] ?? 'other',
    action,
    app: boundedString(body.app, 'app'),
    name: stream,
    args: parseQueryArgs(boundedString(body.param, 'param')),
    addr: boundedString(body.ip, 'ip'),
    clientId: boundedString(body.client_id, 'client_id'),
    flashVer: '',
  };
}
