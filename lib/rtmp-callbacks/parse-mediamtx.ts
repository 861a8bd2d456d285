// MediaMTX external HTTP authentication (`authMethod: http`, `authHTTPAddress`): POST
// application/json such as
//   {"user":"","password":"","token":"","ip":"127.0.0.1","action":"publish","path":"live/secret",
//    "protocol":"rtmp","id":"8e6a...","query":"key=secret"}
// 2xx allows, anything else denies. MediaMTX asks about every action (read, playback, api...)
// at the same address; there is no publish-done callback in this protocol.
import { boundedString, CallbackParseError, parseQueryArgs, type PublishCallback } from './types';

const ACTIONS = new Set(['publish', 'read', 'playback', 'api', 'metrics', 'pprof']);

export function isMediaMtxAuth(body: Record<string, unknown>): boolean {
  return typeof body.action === 'string' && ACTIONS.has(body.action) && 'path' in body;
}

export function parseMediaMtxAuth(body: Record<string, unknown>): PublishCallback {
  const action = boundedString(body.action, 'action', { required: true });
  const path = boundedString(body.path, 'path', { required: action === 'publish' });
  // RTMP `rtmp://host/live/<name>` arrives as path `live/<name>`; a bare `<name>` has no app.
  const slash = path.lastIndexOf('/');
  const app = slash === -1 ? '' : path.slice(0, slash);
  const name = slash === -1 ? path : path.slice(slash + 1);
  if (action === 'publish' && name === '') throw new CallbackParseError('empty stream name in "path"');
  return {
    dialect: 'mediamtx',
    kind: action === 'publish' ? 'publish' : 'other',
    action,
    app,
    name,
    args: parseQueryArgs(boundedString(body.query, 'query')),
    addr: boundedString(body.ip, 'ip'),
    clientId: boundedString(body.id, 'id'),
    flashVer: '',
  };
}
