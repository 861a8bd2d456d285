import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeRedirectPath, safeRedirectUrl } from '../../lib/safe-redirect';

const FALLBACK = '/dashboard';

describe('safeRedirectPath', () => {
  const hostile: Array<[string, unknown]> = [
    ['tab after the slash (the reported case)', '/\t/example.org'],
    ['encoded tab', '/%09/example.org'],
    ['CR and LF', '/\r\n/example.org'],
    ['encoded LF', '/%0a/example.org'],
    ['protocol-relative', '//example.org'],
    ['protocol-relative with path', '//example.org/dashboard'],
    ['backslash', '/\\example.org'],
    ['two backslashes', '\\\\example.org'],
    ['encoded backslash', '/%5cexample.org'],
    ['encoded slash', '/%2fexample.org'],
    ['double-encoded slash', '/%252fexample.org'],
    ['absolute http', 'http://example.org/'],
    ['absolute https', 'https://example.org/dashboard'],
    ['scheme-less javascript', 'javascript:alert(1)'],
    ['data URL', 'data:text/html,hi'],
    ['relative without slash', 'example.org'],
    ['empty', ''],
    ['NUL', '/\u0000/example.org'],
    ['C1 control', '/\u0085/example.org'],
    ['line separator', '/\u2028/example.org'],
    ['broken percent encoding', '/%E0%A4%A'],
    ['too long', `/${'a'.repeat(600)}`],
    ['not a string', ['/dashboard']],
    ['undefined', undefined],
  ];
  for (const [name, value] of hostile) {
    it(`refuses ${name}`, () => assert.equal(safeRedirectPath(value), FALLBACK));
  }

  const fine: string[] = ['/', '/dashboard', '/alice', '/alice?tab=chat#top', '/search?q=a%20b', '/a/b/c'];
  for (const value of fine) {
    it(`keeps ${value}`, () => assert.equal(safeRedirectPath(value), value));
  }
});

describe('safeRedirectUrl (next-auth redirect callback)', () => {
  const base = 'http://onair.test:3000';
  const cases: Array<[string, string]> = [
    ['/dashboard', `${base}/dashboard`],
    ['/\t/example.org', `${base}/`],
    [`${base}/alice?x=1`, `${base}/alice?x=1`],
    ['http://example.org/', base],
    ['http://onair.test:3001/', base],
    ['//example.org', `${base}/`],
    ['not a url', base],
  ];
  for (const [url, expected] of cases) {
    it(`${JSON.stringify(url)} -> ${expected}`, () => assert.equal(safeRedirectUrl(url, base), expected));
  }
});
