import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChecker } from '../../src/http/bearer-token.js';

describe('http bearer token', () => {
  const check = bearerChecker('s3cret-token');
  const cases: Array<[string | undefined, boolean]> = [
    ['Bearer s3cret-token', true],
    ['bearer s3cret-token', true],
    ['Bearer  s3cret-token ', true],
    ['Bearer s3cret-toke', false],
    ['Bearer s3cret-token2', false],
    ['Bearer S3CRET-TOKEN', false],
    ['s3cret-token', false],
    ['Basic s3cret-token', false],
    ['Bearer', false],
    ['Bearer ', false],
    ['Bearer s3cret token', false],
    ['', false],
    [undefined, false],
    [`Bearer ${'x'.repeat(5000)}`, false],
  ];
  for (const [header, ok] of cases) it(`${JSON.stringify(header?.slice(0, 40))} -> ${ok}`, () => assert.equal(check(header), ok));

  it('without a token nothing passes (the API is off)', () => {
    for (const token of [undefined, '']) {
      const off = bearerChecker(token);
      assert.equal(off('Bearer '), false);
      assert.equal(off('Bearer undefined'), false);
      assert.equal(off(undefined), false);
    }
  });
});
