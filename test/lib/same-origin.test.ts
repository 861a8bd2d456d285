import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors';
import { isSameOrigin, originHost, requireSameOrigin } from '../../lib/same-origin';

const headers = (values: Record<string, string>) => new Headers(values);

describe('same-origin check', () => {
  const cases: { name: string; headers: Record<string, string>; same: boolean }[] = [
    { name: 'matching host and port', headers: { origin: 'http://127.0.0.1:3000', 'x-forwarded-host': '127.0.0.1:3000' }, same: true },
    { name: 'case-insensitive', headers: { origin: 'https://OnAir.Example', 'x-forwarded-host': 'onair.example', 'x-forwarded-proto': 'https' }, same: true },
    { name: 'default port written out on one side', headers: { origin: 'https://onair.example', 'x-forwarded-host': 'onair.example:443', 'x-forwarded-proto': 'https' }, same: true },
    { name: 'Host header when no forwarded host', headers: { origin: 'http://localhost:3000', host: 'localhost:3000' }, same: true },
    { name: 'other site', headers: { origin: 'https://evil.example', 'x-forwarded-host': 'onair.example' }, same: false },
    { name: 'other port', headers: { origin: 'http://127.0.0.1:4000', 'x-forwarded-host': '127.0.0.1:3000' }, same: false },
    { name: 'no Origin header', headers: { 'x-forwarded-host': 'onair.example' }, same: false },
    { name: 'opaque origin "null" (sandboxed frame)', headers: { origin: 'null', 'x-forwarded-host': 'onair.example' }, same: false },
    { name: 'not a URL', headers: { origin: 'onair.example', 'x-forwarded-host': 'onair.example' }, same: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isSameOrigin(headers(c.headers)), c.same));

  it('originHost ignores non-web schemes', () => {
    assert.equal(originHost('file:///etc/passwd'), null);
    assert.equal(originHost('http://a.example:8080'), 'a.example:8080');
  });

  it('refuses with a 403 AppError', () => {
    assert.throws(() => requireSameOrigin(headers({ origin: 'https://evil.example', host: 'onair.example' })), (error: unknown) => error instanceof AppError && error.status === 403);
  });
});
