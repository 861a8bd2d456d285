import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { verifyCallbackSecret } from '../../../lib/rtmp-callbacks/callback-secret';
import { parseCallback } from '../../../lib/rtmp-callbacks/parse-callback';
import { parseNginxRtmpForm } from '../../../lib/rtmp-callbacks/parse-nginx-rtmp';
import { answerPublish } from '../../../lib/rtmp-callbacks/respond';
import { CallbackParseError, type PublishCallback } from '../../../lib/rtmp-callbacks/types';
import { loadCapturedCallbacks } from '../../helpers/nginx-rtmp-fixtures';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const FLASHVER = 'FMLE/3.0 (compatible; Lavf59.27';

describe('nginx-rtmp form bodies (real captures)', () => {
  const expected: Record<number, Omit<PublishCallback, 'app' | 'addr' | 'flashVer'>> = {
    1: { kind: 'publish', name: 'good', args: {}, clientId: '1' },
    2: { kind: 'publish_done', name: 'good', args: {}, clientId: '1' },
    3: { kind: 'publish', name: 'rename', args: {}, clientId: '4' },
    4: { kind: 'publish_done', name: 'rename', args: {}, clientId: '4' },
    5: { kind: 'publish', name: 'bad', args: {}, clientId: '7' },
    6: { kind: 'publish', name: 'good', args: { token: 'abc123', x: '1' }, clientId: '9' },
    7: { kind: 'publish_done', name: 'good', args: { token: 'abc123', x: '1' }, clientId: '9' },
  };
  for (const captured of loadCapturedCallbacks()) {
    it(`request #${captured.n} (${captured.url}) parses to the normalised callback`, () => {
      const contentType = captured.rawHeaders.find((h) => h.startsWith('Content-Type:'))?.slice('Content-Type: '.length) ?? null;
      assert.equal(contentType, FORM);
      const parsed = parseCallback(contentType, captured.body);
      assert.deepEqual(parsed, { app: 'live', addr: '127.0.0.1', flashVer: FLASHVER, ...expected[captured.n] });
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

  it('maps update_publish (on_update) to kind "update", play/play_done to theirs, other calls (update_play) to "other"', () => {
    assert.equal(parseNginxRtmpForm('call=play&name=x').kind, 'play');
    assert.equal(parseNginxRtmpForm('call=play_done&name=x').kind, 'play_done');
    assert.equal(parseNginxRtmpForm('call=update_play&name=x').kind, 'other');
    assert.equal(parseNginxRtmpForm('call=update_publish&name=x').kind, 'update');
  });

  it('reads on_play\'s start/duration/reset as nginx fields, the play URL\'s query as arguments', () => {
    const parsed = parseNginxRtmpForm('app=live&flashver=LNX%209,0,124,2&swfurl=&tcurl=rtmp://h/live&pageurl=&addr=10.0.0.1&clientid=5&call=play&name=alice&start=4294965296&duration=4294967295&reset=0&x=1');
    assert.deepEqual({ kind: parsed.kind, name: parsed.name, args: parsed.args, clientId: parsed.clientId }, { kind: 'play', name: 'alice', args: { x: '1' }, clientId: '5' });
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

describe('content type', () => {
  const rejects: Array<{ name: string; type: string | null; body: string; error: RegExp }> = [
    { name: 'JSON (the SRS and MediaMTX dialects are not spoken)', type: JSON_TYPE, body: '{"action":"on_publish","stream":"x"}', error: /unsupported content type "application\/json"/ },
    { name: 'another content type', type: 'text/plain', body: 'call=publish&name=x', error: /unsupported content type/ },
  ];
  for (const { name, type, body, error } of rejects) {
    it(`refuses ${name}`, () => assert.throws(() => parseCallback(type, body), (e: Error) => e instanceof CallbackParseError && error.test(e.message)));
  }

  it('never quotes the body in a parse error (it may hold a stream key)', () => {
    const key = `live_${'k'.repeat(27)}`;
    assert.throws(() => parseCallback(JSON_TYPE, `${key} is not json`), (e: Error) => e instanceof CallbackParseError && !e.message.includes(key));
    assert.throws(() => parseCallback(FORM, `app=live&call=${key}`), (e: Error) => e instanceof CallbackParseError && !e.message.includes(key));
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
  });
});

describe('answers', () => {
  const allowA = { allow: true, name: 'alice', form: 'key-as-name', channelId: 'c', sessionId: 's' } as const;
  const allowB = { ...allowA, form: 'key-arg' } as const;
  const denied = { allow: false, reason: 'unknown or reset stream key', code: 'unknown_key' } as const;
  const cases = [
    { name: 'key as name: 302 rename to the slug', decision: allowA, status: 302, location: 'alice' },
    { name: 'key argument: 200', decision: allowB, status: 200, body: 'OK\n' },
    { name: 'denied: 403 with the reason', decision: denied, status: 403, body: 'unknown or reset stream key\n' },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const answer = answerPublish(c.decision);
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
