import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { envSchema } from '../../../lib/env';
import { DEFAULTS, checkPlatformEnv, parseDotenv, resolvePlatformEnv } from '../../../scripts/lib/platform-env.mjs';

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
    assert.match(first.MEDIA_SERVER_API_TOKEN, /^[\w-]{43}$/);
    assert.equal(new Set([first.NEXTAUTH_SECRET, first.RTMP_CALLBACK_SECRET, first.MEDIA_SERVER_API_TOKEN]).size, 3);
    assert.equal(statSync(join(root, 'data', 'secrets.json')).mode & 0o777, 0o600);
    const second = resolvePlatformEnv(root, {});
    assert.equal(second.NEXTAUTH_SECRET, first.NEXTAUTH_SECRET);
    assert.equal(second.RTMP_CALLBACK_SECRET, first.RTMP_CALLBACK_SECRET);
    assert.equal(second.MEDIA_SERVER_API_TOKEN, first.MEDIA_SERVER_API_TOKEN);
  });

  it('lets the environment win over .env, and .env over defaults', () => {
    const root = tempRoot();
    writeFileSync(join(root, '.env'), 'PORT=4000\nRTMP_PORT=19350\n');
    const env = resolvePlatformEnv(root, { PORT: '5000' });
    assert.equal(env.PORT, '5000');
    assert.equal(env.RTMP_PORT, '19350');
    assert.equal(env.NEXTAUTH_URL, undefined, 'next-auth follows the request host unless PUBLIC_URL is set');
    assert.equal(resolvePlatformEnv(root, { PUBLIC_URL: 'https://tv.example' }).NEXTAUTH_URL, 'https://tv.example');
    assert.equal(env.MEDIA_SERVER_API_URL, 'http://127.0.0.1:8935/api/streams');
  });

  it('DATA_DIR moves the secrets and the default database; an explicit DATABASE_URL stays', () => {
    const root = tempRoot();
    const dataDir = join(tempRoot(), 'elsewhere');
    const env = resolvePlatformEnv(root, { DATA_DIR: dataDir });
    assert.equal(env.DATABASE_URL, `file:${join(dataDir, 'onair.db')}`);
    assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);
    assert.equal(existsSync(join(root, 'data')), false, 'nothing written to <root>/data');
    const relative = resolvePlatformEnv(root, { DATA_DIR: 'state', DATABASE_URL: 'postgresql://u@h/db' });
    assert.equal(relative.DATABASE_URL, 'postgresql://u@h/db');
    assert.ok(existsSync(join(root, 'state', 'secrets.json')), 'a relative DATA_DIR is under the project folder');
  });

  it('RECORD_DIR defaults to <DATA_DIR>/recordings, absolute, for both processes; a set one is resolved from the project folder', () => {
    const root = tempRoot();
    assert.equal(resolvePlatformEnv(root, {}).RECORD_DIR, join(root, 'data', 'recordings'));
    assert.equal(resolvePlatformEnv(root, { DATA_DIR: 'state' }).RECORD_DIR, join(root, 'state', 'recordings'));
    assert.equal(resolvePlatformEnv(root, { RECORD_DIR: 'media/rec' }).RECORD_DIR, join(root, 'media', 'rec'));
  });

  it('treats empty settings as unset', () => {
    const env = resolvePlatformEnv(tempRoot(), { PORT: '', NEXTAUTH_SECRET: '' });
    assert.equal(env.PORT, '3000');
    assert.match(env.NEXTAUTH_SECRET, /^[\w-]{43}$/);
  });

  it('stops on an unreadable secrets.json instead of replacing the secrets', () => {
    const root = tempRoot();
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'secrets.json'), '{"NEXTAUTH_SECRET": ');
    assert.throws(() => resolvePlatformEnv(root, {}), /secrets\.json is not valid JSON .*fix it or delete it/);
    assert.equal(readFileSync(join(root, 'data', 'secrets.json'), 'utf8'), '{"NEXTAUTH_SECRET": ');
  });

  it('never overwrites a configured secret', () => {
    const root = tempRoot();
    const env = resolvePlatformEnv(root, { RTMP_CALLBACK_SECRET: 'from-env' });
    assert.equal(env.RTMP_CALLBACK_SECRET, 'from-env');
    const stored = JSON.parse(readFileSync(join(root, 'data', 'secrets.json'), 'utf8')) as Record<string, string>;
    assert.notEqual(stored.RTMP_CALLBACK_SECRET, 'from-env');
  });
});

describe('checkPlatformEnv', () => {
  const good = { PORT: '3000', RTMP_PORT: '1935', MEDIA_HTTP_PORT: '8935', MEDIA_SERVER: 'bundled', RTMP_APP: 'live' };
  const cases: { name: string; env: Record<string, string>; problems: RegExp[] }[] = [
    { name: 'the defaults', env: good, problems: [] },
    { name: 'a port that is not a number', env: { ...good, PORT: 'http' }, problems: [/^PORT="http": must be a port number/] },
    { name: 'a port out of range', env: { ...good, RTMP_PORT: '70000' }, problems: [/^RTMP_PORT="70000"/] },
    { name: 'port zero', env: { ...good, MEDIA_HTTP_PORT: '0' }, problems: [/^MEDIA_HTTP_PORT="0"/] },
    { name: 'two services on one port', env: { ...good, MEDIA_HTTP_PORT: '3000' }, problems: [/must differ \(3000, 1935, 3000\)/] },
    { name: 'an unknown media server', env: { ...good, MEDIA_SERVER: 'srs' }, problems: [/^MEDIA_SERVER="srs": must be bundled or nginx-rtmp/] },
    { name: 'an app name with a slash', env: { ...good, RTMP_APP: 'live/x' }, problems: [/^RTMP_APP="live\/x"/] },
    { name: 'a short callback secret (value never shown)', env: { ...good, RTMP_CALLBACK_SECRET: 'nine-char' }, problems: [/^RTMP_CALLBACK_SECRET=\(9 characters\): must be at least 16 characters$/] },
    { name: 'a short session secret', env: { ...good, NEXTAUTH_SECRET: 'x' }, problems: [/^NEXTAUTH_SECRET=\(1 characters\): must be at least 16/] },
    { name: 'TRUST_PROXY nonsense', env: { ...good, TRUST_PROXY: 'yes' }, problems: [/^TRUST_PROXY="yes": .*not an IP address or CIDR range/] },
    { name: 'an unknown registration mode', env: { ...good, REGISTRATION: 'everyone' }, problems: [/^REGISTRATION="everyone": must be open, invite or closed/] },
    { name: 'a database URL of another kind', env: { ...good, DATABASE_URL: 'mysql://x' }, problems: [/^DATABASE_URL="mysql:\/\/x": must be file:/] },
    { name: 'a PUBLIC_URL that is not http', env: { ...good, PUBLIC_URL: 'stream.example.com' }, problems: [/^PUBLIC_URL="stream.example.com": must be a http:\/\/ or https:\/\/ URL/] },
    { name: 'a viewers-per-address of zero', env: { ...good, VIEWERS_PER_ADDRESS: '0' }, problems: [/^VIEWERS_PER_ADDRESS="0": must be a whole number 1-1000/] },
  ];
  for (const { name, env, problems } of cases) {
    it(name, () => {
      const found = checkPlatformEnv(env);
      assert.equal(found.length, problems.length, found.join('\n'));
      problems.forEach((pattern, i) => assert.match(found[i] ?? '', pattern));
    });
  }
});

describe('.env.example', () => {
  const text = readFileSync(fileURLToPath(new URL('../../../.env.example', import.meta.url)), 'utf8');
  // Documented as a setting line, commented out or not: `KEY=` or `# KEY=` at the start of a line.
  const documented = new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it('documents every setting npm start and the app read', () => {
    const read = [
      ...Object.keys(DEFAULTS),
      'NEXTAUTH_SECRET', 'RTMP_CALLBACK_SECRET', 'MEDIA_SERVER_API_TOKEN', 'NEXTAUTH_URL', 'MEDIA_SERVER_API_URL', 'PUBLIC_URL', 'PUBLIC_RTMP_URL', 'PUBLIC_HLS_URL',
      'RECORD_DIR', 'ON_RECORD_DONE_URL', 'RECORDINGS_MIN_FREE_GB', 'RECORD_MAX_QUEUE_MB', 'RECORD_REWIND_HOURS',
      ...Object.keys(envSchema.in.shape).filter((key) => key !== 'NODE_ENV'),
    ];
    assert.deepEqual([...new Set(read)].filter((key) => !documented.has(key)), []);
  });

  it('its active lines are the defaults', () => {
    const active = parseDotenv(text);
    const defaults: Readonly<Record<string, string>> = DEFAULTS;
    for (const [key, value] of Object.entries(active)) assert.equal(value, defaults[key], key);
  });
});
