import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDotenv, resolvePlatformEnv } from '../../scripts/lib/platform-env.mjs';

const dirs: string[] = [];
const tempRoot = () => {
  const dir = mkdtempSync(join(tmpdir(), 'onair-env-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('parseDotenv', () => {
  const cases: { name: string; text: string; value: Record<string, string> }[] = [
    { name: 'plain pairs', text: 'PORT=4000\nRTMP_APP=live\n', value: { PORT: '4000', RTMP_APP: 'live' } },
    { name: 'comments and blanks', text: '# c\n\n  # d\nA=1', value: { A: '1' } },
    { name: 'quotes stripped', text: 'A="x y"\nB=\'z\'', value: { A: 'x y', B: 'z' } },
    { name: 'empty value means unset', text: 'NEXTAUTH_SECRET=\n', value: {} },
    { name: 'value containing =', text: 'DATABASE_URL=postgresql://u:p@h/db?sslmode=require', value: { DATABASE_URL: 'postgresql://u:p@h/db?sslmode=require' } },
    { name: 'CRLF line ends', text: 'A=1\r\nB=2\r\n', value: { A: '1', B: '2' } },
    { name: 'line without key', text: '=oops\nnoequals', value: {} },
  ];
  for (const { name, text, value } of cases) it(name, () => assert.deepEqual(parseDotenv(text), value));
});

describe('resolvePlatformEnv', () => {
  it('fills defaults and generates secrets once, kept across restarts', () => {
    const root = tempRoot();
    const first = resolvePlatformEnv(root, {});
    assert.equal(first.PORT, '3000');
    assert.equal(first.RTMP_PORT, '1935');
    assert.equal(first.MEDIA_HTTP_PORT, '8935');
    assert.equal(first.DATABASE_URL, 'file:./data/onair.db');
    assert.match(first.NEXTAUTH_SECRET, /^[\w-]{43}$/);
    assert.match(first.RTMP_CALLBACK_SECRET, /^[\w-]{43}$/);
    assert.notEqual(first.NEXTAUTH_SECRET, first.RTMP_CALLBACK_SECRET);
    assert.equal(statSync(join(root, 'data', 'secrets.json')).mode & 0o777, 0o600);
    const second = resolvePlatformEnv(root, {});
    assert.equal(second.NEXTAUTH_SECRET, first.NEXTAUTH_SECRET);
    assert.equal(second.RTMP_CALLBACK_SECRET, first.RTMP_CALLBACK_SECRET);
  });

  it('lets the environment win over .env, and .env over defaults', () => {
    const root = tempRoot();
    writeFileSync(join(root, '.env'), 'PORT=4000\nRTMP_PORT=19350\n');
    const env = resolvePlatformEnv(root, { PORT: '5000' });
    assert.equal(env.PORT, '5000');
    assert.equal(env.RTMP_PORT, '19350');
    assert.equal(env.NEXTAUTH_URL, 'http://localhost:5000');
    assert.equal(env.MEDIA_SERVER_API_URL, 'http://127.0.0.1:8935/api/streams');
  });

  it('never overwrites a configured secret', () => {
    const root = tempRoot();
    const env = resolvePlatformEnv(root, { RTMP_CALLBACK_SECRET: 'from-env' });
    assert.equal(env.RTMP_CALLBACK_SECRET, 'from-env');
    const stored = JSON.parse(readFileSync(join(root, 'data', 'secrets.json'), 'utf8')) as Record<string, string>;
    assert.notEqual(stored.RTMP_CALLBACK_SECRET, 'from-env');
  });
});
