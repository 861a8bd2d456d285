import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { authorizeRecordingUri, parseRecordingPath, recordingPath, signToken, verifyToken } from '../../../lib/recordings/signed-url';

const KEY = 'media-server-api-token-for-tests';
const REF = { app: 'live', name: 'alice', recordingId: 'lq2x8k3z9abc' };
const NOW = 1_800_000_000;

describe('signToken / verifyToken (CONTRACT-15 item 5)', () => {
  it('is <exp>.<base64url HMAC-SHA256 of "<exp>/<app>/<name>/<recordingId>">, computed independently here', () => {
    const expected = createHmac('sha256', KEY).update(`${NOW + 60}/live/alice/lq2x8k3z9abc`).digest('base64url');
    assert.equal(signToken(KEY, NOW + 60, REF), `${NOW + 60}.${expected}`);
    assert.doesNotMatch(expected, /[=+/]/);
  });

  const token = signToken(KEY, NOW + 60, REF);
  const cases: Array<{ name: string; key?: string; token?: string; ref?: typeof REF; now?: number; result: string }> = [
    { name: 'valid before expiry', result: 'ok' },
    { name: 'expired at exp', now: NOW + 60, result: 'expired' },
    { name: 'expired after exp', now: NOW + 3600, result: 'expired' },
    { name: 'another broadcast', ref: { ...REF, recordingId: 'lq2x8k3z9abd' }, result: 'bad-signature' },
    { name: 'another channel', ref: { ...REF, name: 'bob' }, result: 'bad-signature' },
    { name: 'another app', ref: { ...REF, app: 'onair_hls' }, result: 'bad-signature' },
    { name: 'another key', key: `${KEY}x`, result: 'bad-signature' },
    { name: 'empty key', key: '', result: 'bad-signature' },
    { name: 'exp moved later (signature no longer matches)', token: `${NOW + 9999}.${token.split('.')[1]}`, result: 'bad-signature' },
    { name: 'no dot', token: token.replace('.', ''), result: 'malformed' },
    { name: 'signature cut short', token: token.slice(0, -1), result: 'malformed' },
    { name: 'padded signature', token: `${token}=`, result: 'malformed' },
    { name: 'negative exp', token: `-1.${token.split('.')[1]}`, result: 'malformed' },
    { name: 'traversal in the reference', ref: { ...REF, name: '..' }, result: 'malformed' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(verifyToken(c.key ?? KEY, c.token ?? token, c.ref ?? REF, c.now ?? NOW), c.result);
    });
  }
});

describe('parseRecordingPath', () => {
  const token = signToken(KEY, NOW + 60, REF);
  it('round-trips recordingPath, ignoring a query string', () => {
    const path = recordingPath(token, REF, 'index.m3u8');
    assert.equal(path, `/recordings/${token}/live/alice/lq2x8k3z9abc/index.m3u8`);
    assert.deepEqual(parseRecordingPath(`${path}?x=1`), { token, file: 'index.m3u8', ...REF });
    assert.equal(authorizeRecordingUri(KEY, `${path}?x=1`, NOW), 60);
    assert.equal(authorizeRecordingUri(KEY, path, NOW + 61), null);
  });
  const rejected = [
    '/recordings/',
    `/recordings/${token}/live/alice/lq2x8k3z9abc`,
    `/recordings/${token}/live/alice/lq2x8k3z9abc/../index.m3u8`,
    `/recordings/${token}/live/alice/lq2x8k3z9abc/%2e%2e`,
    `/recordings/${token}/live/alice%2Fx/lq2x8k3z9abc/index.m3u8`,
    `/recordings/${token}/live/alice//index.m3u8`,
    `/recordings/${token}/../alice/lq2x8k3z9abc/index.m3u8`,
    `/recordings/${token}/live/alice/lq2x8k3z9abc/thumbnail.jpg`,
    `/recordings/${token}/live/Alice/lq2x8k3z9abc/index.m3u8`,
    `/recordings/${token}/live/alice/SHORT/index.m3u8`,
    `/live/alice/index.m3u8`,
    `/recordings/${token}/live/alice/lq2x8k3z9abc/seg-1.m4s/extra`,
    `/recordings/${'a'.repeat(600)}/live/alice/lq2x8k3z9abc/index.m3u8`,
  ];
  for (const uri of rejected) {
    it(`rejects ${uri.slice(0, 90)}`, () => {
      assert.equal(parseRecordingPath(uri), null);
      assert.equal(authorizeRecordingUri(KEY, uri, NOW), null);
    });
  }
  it('accepts segments, init sections and the download', () => {
    for (const file of ['init.mp4', 'seg-00001.m4s', 'download.mp4', 'init-2.mp4']) {
      assert.equal(authorizeRecordingUri(KEY, recordingPath(token, REF, file), NOW), 60, file);
    }
  });
});
