import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  generateStreamKey,
  hashStreamKey,
  isWellFormedStreamKey,
  maskStreamKey,
  STREAM_KEY_LENGTH,
} from '../../lib/stream-keys';

describe('stream keys', () => {
  it('are live_ + 160 random bits in base64url (27 chars)', () => {
    const { key, hash, last4 } = generateStreamKey();
    assert.match(key, /^live_[A-Za-z0-9_-]{27}$/);
    assert.equal(key.length, STREAM_KEY_LENGTH);
    assert.equal(Buffer.from(key.slice(5), 'base64url').length, 20, 'at least 128 bits of randomness');
    assert.equal(hash, createHash('sha256').update(key).digest('hex'));
    assert.equal(last4, key.slice(-4));
  });

  it('come from the injected random source, byte for byte', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff01234567', 'hex');
    const { key } = generateStreamKey(() => bytes);
    assert.equal(key, `live_${bytes.toString('base64url')}`);
    assert.throws(() => generateStreamKey(() => Buffer.alloc(8)), /wrong length/);
  });

  it('do not repeat (10 000 draws)', () => {
    const keys = new Set(Array.from({ length: 10_000 }, () => generateStreamKey().key));
    assert.equal(keys.size, 10_000);
  });

  it('hash to the SHA-256 hex of the UTF-8 key (known vector)', () => {
    assert.equal(hashStreamKey('live_abc'), createHash('sha256').update('live_abc', 'utf8').digest('hex'));
    assert.equal(hashStreamKey(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  const shapes: Array<{ name: string; value: string; ok: boolean }> = [
    { name: 'a generated key', value: 'live_' + 'A'.repeat(27), ok: true },
    { name: 'base64url punctuation', value: 'live_' + '-_'.repeat(13) + 'x', ok: true },
    { name: 'one character short', value: 'live_' + 'A'.repeat(26), ok: false },
    { name: 'one character long', value: 'live_' + 'A'.repeat(28), ok: false },
    { name: 'wrong prefix', value: 'LIVE_' + 'A'.repeat(27), ok: false },
    { name: 'no prefix', value: 'A'.repeat(32), ok: false },
    { name: 'base64 padding/plus', value: 'live_' + '+'.repeat(27), ok: false },
    { name: 'a channel slug', value: 'good', ok: false },
    { name: 'empty', value: '', ok: false },
    { name: 'a key with a query appended', value: 'live_' + 'A'.repeat(27) + '?x=1', ok: false },
    { name: 'non-ASCII of the right length', value: 'live_' + 'é'.repeat(27), ok: false },
  ];
  for (const { name, value, ok } of shapes) {
    it(`${ok ? 'accepts' : 'refuses'} ${name} as well-formed`, () => assert.equal(isWellFormedStreamKey(value), ok));
  }

  it('hash to the stored hash (the lookup key), and only the right key does', () => {
    const { key, hash } = generateStreamKey();
    assert.equal(hashStreamKey(key), hash);
    assert.notEqual(hashStreamKey(generateStreamKey().key), hash);
  });

  it('mask all but the last four characters', () => {
    const masked = maskStreamKey('wxyz');
    assert.equal(masked, 'live_••••••••••••wxyz');
    assert.ok(!masked.includes('A'));
  });
});
