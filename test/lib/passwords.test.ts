import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { burnPasswordCheck, hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../lib/passwords';

describe('password hashing (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash with N=2^15, r=8, p=1 and a 16-byte salt', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    assert.equal(scheme, 'scrypt');
    assert.deepEqual([Number(n), Number(r), Number(p)], [SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p]);
    assert.equal(Buffer.from(salt ?? '', 'base64url').length, 16);
    assert.equal(Buffer.from(hash ?? '', 'base64url').length, 32);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('hunter22hunter22');
    assert.equal(await verifyPassword('hunter22hunter22', stored), true);
    assert.equal(await verifyPassword('hunter22hunter23', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  it('uses a fresh salt per hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    assert.notEqual(a, b);
  });

  it('normalises Unicode (NFKC) so the same visible password matches', async () => {
    const stored = await hashPassword('café-password');
    assert.equal(await verifyPassword('cafe\u0301-password', stored), true);
  });

  const malformed: Array<{ name: string; stored: string }> = [
    { name: 'empty', stored: '' },
    { name: 'another scheme', stored: 'bcrypt$2b$10$abcdefghijklmnopqrstuv' },
    { name: 'too few parts', stored: 'scrypt$32768$8$1$c2FsdA' },
    { name: 'N not a power of two', stored: 'scrypt$30000$8$1$c2FsdHNhbHQ$' + 'A'.repeat(43) },
    { name: 'N too large (memory bomb)', stored: 'scrypt$4194304$8$1$c2FsdHNhbHQ$' + 'A'.repeat(43) },
    { name: 'r too large', stored: 'scrypt$32768$64$1$c2FsdHNhbHQ$' + 'A'.repeat(43) },
    { name: 'salt too short', stored: 'scrypt$32768$8$1$YQ$' + 'A'.repeat(43) },
    { name: 'hash too short', stored: 'scrypt$32768$8$1$c2FsdHNhbHQ$AAAA' },
  ];
  for (const { name, stored } of malformed) {
    it(`never matches a malformed stored hash: ${name}`, async () => assert.equal(await verifyPassword('x', stored), false));
  }

  it('refuses over-long passwords without hashing them', async () => {
    await assert.rejects(hashPassword('x'.repeat(201)), RangeError);
    assert.equal(await verifyPassword('x'.repeat(201), await hashPassword('x')), false);
  });

  it('costs tens of milliseconds per check (memory-hard, maxmem set), also for unknown users', async () => {
    const stored = await hashPassword('timing-password');
    const t0 = performance.now();
    await verifyPassword('timing-password', stored);
    const verifyMs = performance.now() - t0;
    const t1 = performance.now();
    assert.equal(await burnPasswordCheck('whatever'), false);
    await burnPasswordCheck('whatever'); // the first call also builds the dummy hash
    const burnMs = performance.now() - t1;
    console.log(`scrypt verify ${verifyMs.toFixed(1)} ms; unknown-user burn (2 checks + 1 hash) ${burnMs.toFixed(1)} ms`);
    assert.ok(verifyMs > 10, `scrypt N=2^15 should not take ${verifyMs} ms`);
    assert.ok(verifyMs < 5000);
  });
});
