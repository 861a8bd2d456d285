import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { verifyCallbackSecret } from '../../../lib/rtmp-callbacks/callback-secret';
import { parseCallback } from '../../../lib/rtmp-callbacks/parse-callback';
import { parseMediaMtxAuth } from '../../../lib/rtmp-callbacks/parse-mediamtx';
import { parseNginxRtmpForm } from '../../../lib/rtmp-callbacks/parse-nginx-rtmp';
import { parseSrsHook } from '../../../lib/rtmp-callbacks/parse-srs';
import { answerPublish } from '../../../lib/rtmp-callbacks/respond';
import { CallbackParseError, type PublishCallback } from '../../../lib/rtmp-callbacks/types';
import { loadCapturedCallbacks } from '../../helpers/nginx-rtmp-fixtures';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const FLASHVER = 'FMLE/3.0 (compatible; Lavf59.27';

describe('nginx-rtmp form bodies (real captures)', () => {
  const expected: Record<number, Omit<PublishCallback, 'dialect' | 'app' | 'addr' | 'flashVer'>> = {
    1: { kind: 'publish', action: 'publish', name: 'good', args: {}, clientId: '1' },
    2: { kind: 'publish_done', action: 'publish_done', name: 'good', args: {}, clientId: '1' },
    3: { kind: 'publish', action: 'publish', name: 'rename', args: {}, clientId: '4' },
    4: { kind: 'publish_done', action: 'publish_done', name: 'rename', args: {}, clientId: '4' },
    5: { kind: 'publish', action: 'publish', name: 'bad', args: {}, clientId: '7' },
    6: { kind: 'publish', action: 'publish', name: 'good', args: { token: 'abc123', x: '1' }, clientId: '9' },
    7: { kind: 'publish_done', action: 'publish_done', name: 'good', args: { token: 'abc123', x: '1' }, clientId: '9' },
  };
  for (const captured of loadCapturedCallbacks()) {
    it(`request #${captured.n} (${captured.url}) parses to the normalised callback`, () => {
      const contentType = captured.rawHeaders.find((h) => h.startsWith('Content-Type:'))?.slice('Content-Type: '.length) ?? null;
      assert.equal(contentType, FORM);
      const parsed = parseCallback(contentType, captured.body);
      assert.deepEqual(parsed, { dialect: 'nginx-rtmp', app: 'live', addr: '127.0.0.1', flashVer: FLASHVER, ...expected[captured.n] });
      assert.equal(parsed.flashVer, captured.form.flashver, 'same decode as the capture tool');
    });
  }

  const rejects: Array<{ name: string; body: string; error: RegExp }> = [
    { name: 'no call', body: 'app=live&name=x', error: /missing field "call"/ },
    { name: 'no name', body: 'app=live&call=publish', error: /missing field "name"/ },
    { name: 'an over-long field', body: `call=publish&name=${'a'.repeat(2049)}`, error: /longer than 2048/ },
    { name: 'too many fields', body: Array.from({ length: 65 }, (_, i) => `f${i}=1`).join('&'), error: /more than 64 fields/ },
  ];
  for (const { name, body, error } of rejects) {
    it(`refuses ${name}`, () => assert.throws(() => parseNginxRtmpForm(body), (e: Error) => e instanceof CallbackParseError && error.test(e.message)));
  }

  it('keeps nginx-rtmp\'s own field when a query argument repeats a standard name', () => {
    const parsed = parseNginxRtmpForm('app=live&call=publish&name=alice&type=live&name=evil&key=k1&key=k2');
    assert.equal(parsed.name, 'alice');
    assert.deepEqual(parsed.args, { name: 'evil', key: 'k1' });
  });

  it('maps update_publish (on_update) to kind "update", other calls (play, update_play) to "other"', () => {
    assert.equal(parseNginxRtmpForm('call=play&name=x').kind, 'other');
    assert.equal(parseNginxRtmpForm('call=update_play&name=x').kind, 'other');
    assert.equal(parseNginxRtmpForm('call=update_publish&name=x').kind, 'update');
  });

  it('the captured on_update bodies: kind "update", time/timestamp are nginx fields, key stays an argument', () => {
    for (const capture of loadCapturedCallbacks('nginx-rtmp-on-update').filter((c) => c.form.call === 'update_publish')) {
      const parsed = parseNginxRtmpForm(capture.body);
      assert.equal(parsed.kind, 'update');
      assert.equal(parsed.clientId, capture.form.clientid);
      assert.ok(!('time' in parsed.args) && !('timestamp' in parsed.args));
      assert.deepEqual(parsed.args, capture.form.key === undefined ? {} : { key: capture.form.key });
    }
  });
});

describe('SRS http_hooks JSON', () => {
  const publish = {
    server_id: 'vid-0xk989d',
    service_id: 'y4m5wyh2',
    action: 'on_publish',
    client_id: '341w361a',
    ip: '127.0.0.1',
    vhost: '__defaultVhost__',
    app: 'live',
    tcUrl: 'rtmp://127.0.0.1:1935/live',
    stream: 'alice',
    param: '?key=live_secret&vhost=x',
    stream_url: '/live/alice',
    stream_id: 'vid-124q9y3',
  };
  it('parses on_publish with the key in param', () => {
    assert.deepEqual(parseCallback(JSON_TYPE, JSON.stringify(publish)), {
      dialect: 'srs',
      kind: 'publish',
      action: 'on_publish',
      app: 'live',
      name: 'alice',
      args: { key: 'live_secret', vhost: 'x' },
      addr: '127.0.0.1',
      clientId: '341w361a',
      flashVer: '',
    });
  });
  it('parses on_unpublish as publish_done, and a key-named stream with empty param', () => {
    const parsed = parseSrsHook({ ...publish, action: 'on_unpublish', stream: 'live_k', param: '' });
    assert.equal(parsed.kind, 'publish_done');
    assert.equal(parsed.name, 'live_k');
    assert.deepEqual(parsed.args, {});
  });
  it('refuses a hook without a stream, or with a non-string one', () => {
    assert.throws(() => parseSrsHook({ action: 'on_publish', stream: '' }), CallbackParseError);
    assert.throws(() => parseSrsHook({ action: 'on_publish', stream: { x: 1 } }), /must be a string/);
  });
});

describe('MediaMTX HTTP auth JSON', () => {
  const publish = {
    user: '',
    password: '',
    token: '',
    ip: '10.0.0.9',
    action: 'publish',
    path: 'live/alice',
    protocol: 'rtmp',
    id: '8e6a2bd0-3b79-4b02-9b0a-6bd0e2d4c1a8',
    query: 'key=live_secret',
  };
  it('parses a publish with app/name from the path and the key from the query', () => {
    assert.deepEqual(parseCallback('application/json; charset=utf-8', JSON.stringify(publish)), {
      dialect: 'mediamtx',
      kind: 'publish',
      action: 'publish',
      app: 'live',
      name: 'alice',
      args: { key: 'live_secret' },
      addr: '10.0.0.9',
      clientId: '8e6a2bd0-3b79-4b02-9b0a-6bd0e2d4c1a8',
      flashVer: '',
    });
  });
  it('accepts a bare path and a null id; treats read as "other"', () => {
    const parsed = parseMediaMtxAuth({ ...publish, path: 'live_k', id: null, query: '' });
    assert.equal(parsed.app, '');
    assert.equal(parsed.name, 'live_k');
    assert.equal(parseMediaMtxAuth({ ...publish, action: 'read' }).kind, 'other');
  });
  it('refuses a publish with an empty path', () => {
    assert.throws(() => parseMediaMtxAuth({ ...publish, path: '' }), CallbackParseError);
  });
});

describe('dialect detection', () => {
  const rejects: Array<{ name: string; type: string | null; body: string; error: RegExp }> = [
    { name: 'invalid JSON', type: JSON_TYPE, body: '{"action":', error: /not JSON/ },
    { name: 'a JSON array', type: JSON_TYPE, body: '[]', error: /must be an object/ },
    { name: 'JSON of neither dialect', type: JSON_TYPE, body: '{"hello":1}', error: /neither/ },
    { name: 'another content type', type: 'text/plain', body: 'call=publish&name=x', error: /unsupported content type/ },
  ];
  for (const { name, type, body, error } of rejects) {
    it(`refuses ${name}`, () => assert.throws(() => parseCallback(type, body), (e: Error) => e instanceof CallbackParseError && error.test(e.message)));
  }

  it('never quotes the body in a parse error (it may hold a stream key)', () => {
    const key = `live_${'k'.repeat(27)}`;
    assert.throws(() => parseCallback(JSON_TYPE, `${key} is not json`), (e: Error) => e instanceof CallbackParseError && !e.message.includes(key));
  });

  it('random bodies either parse or throw CallbackParseError (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(FORM, JSON_TYPE, null), fc.string({ maxLength: 300 }), (type, body) => {
        try {
          parseCallback(type, body);
        } catch (error) {
          if (!(error instanceof CallbackParseError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('action', 'stream', 'path', 'param', 'query', 'ip', 'id', 'app'), fc.jsonValue()), (object) => {
        try {
          parseCallback(JSON_TYPE, JSON.stringify(object));
        } catch (error) {
          if (!(error instanceof CallbackParseError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('answers per dialect', () => {
  const allowA = { allow: true, form: 'key-as-name', channelId: 'c', slug: 'alice', sessionId: 's' } as const;
  const allowB = { ...allowA, form: 'key-arg' } as const;
  const denied = { allow: false, reason: 'unknown_key', message: 'unknown or reset stream key' } as const;
  const cases = [
    { name: 'nginx-rtmp, key as name: 302 rename to the slug', dialect: 'nginx-rtmp', decision: allowA, status: 302, location: 'alice' },
    { name: 'nginx-rtmp, key argument: 200', dialect: 'nginx-rtmp', decision: allowB, status: 200, body: 'OK\n' },
    { name: 'nginx-rtmp, denied: 403 with the reason', dialect: 'nginx-rtmp', decision: denied, status: 403, body: 'unknown or reset stream key\n' },
    { name: 'SRS allowed: 200 with body 0 (no rename)', dialect: 'srs', decision: allowA, status: 200, body: '0' },
    { name: 'SRS denied: 403', dialect: 'srs', decision: denied, status: 403 },
    { name: 'MediaMTX allowed: 200 body 0', dialect: 'mediamtx', decision: allowB, status: 200, body: '0' },
    { name: 'MediaMTX denied: 403', dialect: 'mediamtx', decision: denied, status: 403 },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const answer = answerPublish(c.dialect, c.decision);
      assert.equal(answer.status, c.status);
      if ('location' in c) assert.equal(answer.headers.Location, c.location);
      else assert.equal(answer.headers.Location, undefined);
      if ('body' in c) assert.equal(answer.body, c.body);
    });
  }
});

describe('callback secret', () => {
  it('matches only the exact secret, and never when none is configured', () => {
    assert.equal(verifyCallbackSecret('s3cret-s3cret-s3cret', 's3cret-s3cret-s3cret'), true);
    assert.equal(verifyCallbackSecret('s3cret-s3cret-s3creT', 's3cret-s3cret-s3cret'), false);
    assert.equal(verifyCallbackSecret('s3cret', 's3cret-s3cret-s3cret'), false);
    assert.equal(verifyCallbackSecret(null, 's3cret-s3cret-s3cret'), false);
    assert.equal(verifyCallbackSecret('', ''), false);
    assert.equal(verifyCallbackSecret('x', undefined), false);
  });
});
