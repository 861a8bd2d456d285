// Signed recording URLs (CONTRACT-15 item 5): the token check, table-driven, and the strict path
// validation that comes before it.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkRecordingToken, parseRecordingPath, signRecordingToken, type TokenCheck } from '../../src/recordings/signed-path.js';

const key = 'media-server-api-token';
const now = 1_800_000_000;
const id = 'lz3k9a1b2c3d';
const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function path(token: string, rest = `live/chan/${id}/index.m3u8`): string {
  return `/recordings/${token}/${rest}`;
}

describe('recording token', () => {
  it('is the contract HMAC: base64url of HMAC-SHA256(key, "<exp>/<app>/<name>/<broadcastId>"), no padding', () => {
    const expected = createHmac('sha256', key).update(`${now + 60}/live/chan/${id}`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.equal(signRecordingToken(key, now + 60, 'live', 'chan', id), `${now + 60}.${expected}`);
  });

  const good = signRecordingToken(key, now + 60, 'live', 'chan', id);
  const [goodExp, goodSig = ''] = good.split('.');
  const flipped = `${goodSig.slice(0, 10)}${goodSig[10] === 'A' ? 'B' : 'A'}${goodSig.slice(11)}`;
  const cases: Array<{ what: string; url: string; expect: TokenCheck | 'malformed' }> = [
    { what: 'good', url: path(good), expect: 'ok' },
    { what: 'good, another file of the broadcast', url: path(good, `live/chan/${id}/seg-12.m4s`), expect: 'ok' },
    { what: 'good, the download', url: path(good, `live/chan/${id}/download.mp4`), expect: 'ok' },
    { what: 'expired', url: path(signRecordingToken(key, now, 'live', 'chan', id)), expect: 'expired' },
    { what: 'expired long ago', url: path(signRecordingToken(key, 1, 'live', 'chan', id)), expect: 'expired' },
    { what: 'wrong key', url: path(signRecordingToken('other', now + 60, 'live', 'chan', id)), expect: 'bad-signature' },
    { what: 'one character changed', url: path(`${goodExp}.${flipped}`), expect: 'bad-signature' },
    { what: 'expiry moved later', url: path(`${now + 3600}.${goodSig}`), expect: 'bad-signature' },
    { what: 'another broadcast', url: path(good, `live/chan/zz3k9a1b2c3d/index.m3u8`), expect: 'bad-signature' },
    { what: 'another channel', url: path(good, `live/other/${id}/index.m3u8`), expect: 'bad-signature' },
    { what: 'another app', url: path(good, `onair_hls/chan/${id}/index.m3u8`), expect: 'bad-signature' },
    // Same 256 bits, one of the two unused low bits of the last character set: decodes to the same bytes.
    { what: 'non-canonical base64url (unused bits set)', url: path(`${goodExp}.${goodSig.slice(0, 42)}${base64url[base64url.indexOf(goodSig[42]!) + 1]}`), expect: 'bad-signature' },
    { what: 'no signature', url: path(`${now + 60}.`), expect: 'malformed' },
    { what: 'padded signature', url: path(`${good}=`), expect: 'malformed' },
    { what: 'short signature', url: path(`${goodExp}.${goodSig.slice(1)}`), expect: 'malformed' },
    { what: 'no expiry', url: path(`.${goodSig}`), expect: 'malformed' },
    { what: 'negative expiry', url: path(`-1.${goodSig}`), expect: 'malformed' },
    { what: 'huge expiry', url: path(`1${'0'.repeat(20)}.${goodSig}`), expect: 'malformed' },
    { what: 'standard base64 characters', url: path(`${goodExp}.${goodSig.slice(0, 42)}+`), expect: 'malformed' },
    { what: 'garbage token', url: path('nope'), expect: 'malformed' },
  ];
  for (const { what, url, expect } of cases) {
    it(`${what}: ${expect}`, () => {
      const parsed = parseRecordingPath(url);
      if (expect === 'malformed') return assert.equal(parsed, undefined);
      assert.ok(parsed, 'parses');
      assert.equal(checkRecordingToken(key, parsed, now), expect);
    });
  }
});

describe('recording path validation', () => {
  const token = signRecordingToken(key, now + 60, 'live', 'chan', id);
  const rejected = [
    `/recordings/${token}/live/chan/${id}/../../../etc/passwd`,
    `/recordings/${token}/live/chan/${id}/..`,
    `/recordings/${token}/live/../${id}/index.m3u8`,
    `/recordings/${token}/../chan/${id}/index.m3u8`,
    `/recordings/${token}/live/chan/${id}/..%2Findex.m3u8`,
    `/recordings/${token}/live/chan%2F..%2Fx/${id}/index.m3u8`,
    `/recordings/${token}/live/chan/${id}/%2e%2e`,
    `/recordings/${token}/live/chan/${id}/index.m3u8/`,
    `/recordings/${token}/live/chan/${id}/sub/index.m3u8`,
    `/recordings/${token}/live/chan/${id}`,
    `/recordings/${token}/live/chan/${id}/`,
    `/recordings/${token}/live/chan/${id}/record-done.pending`,
    `/recordings/${token}/live/chan/${id}/seg-1.m4s.tmp`,
    `/recordings/${token}/live/chan/${id}/Seg-1.m4s`,
    `/recordings/${token}/live/chan/${id}/index.m3u8%00`,
    `/recordings/${token}/live/chan/${id}/.mp4`,
    `/recordings/${token}/live/chan/SHORT/index.m3u8`,
    `/recordings/${token}/live/chan/UPPERCASE123/index.m3u8`,
    `/recordings/${token}/live/chan/${'a'.repeat(33)}/index.m3u8`,
    `/recordings/${token}/live/./${id}/index.m3u8`,
    `/recordings/${token}/./chan/${id}/index.m3u8`,
    `/recordings/${token}/live/ch an/${id}/index.m3u8`,
    `/recordings/${token}/live//${id}/index.m3u8`,
    `/recordings//live/chan/${id}/index.m3u8`,
    `/recordings/${token}/live\\chan/${id}/index.m3u8`,
  ];
  for (const url of rejected) {
    it(`rejects ${url.replace(token, '<token>')}`, () => assert.equal(parseRecordingPath(url), undefined));
  }

  it('accepts the contract layout and returns its parts', () => {
    assert.deepEqual(parseRecordingPath(`/recordings/${token}/onair_hls/my-chan.1~x/${id}/init-0.mp4`), {
      expires: now + 60,
      signature: token.split('.')[1],
      app: 'onair_hls',
      name: 'my-chan.1~x',
      broadcastId: id,
      file: 'init-0.mp4',
    });
  });
});
