// The environment `npm start` runs the platform with: the operator's env (and `.env`), plus
// defaults, plus secrets generated once into data/secrets.json and kept across restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Defaults for every setting `npm start` reads; `.env.example` documents the same list. */
export const DEFAULTS = {
  PORT: '3000',
  RTMP_PORT: '1935',
  MEDIA_HTTP_PORT: '8935',
  RTMP_APP: 'live',
  MEDIA_SERVER: 'bundled',
  DATABASE_URL: 'file:./data/onair.db',
};

const GENERATED_SECRETS = ['NEXTAUTH_SECRET', 'RTMP_CALLBACK_SECRET'];

/** Reads data/secrets.json, generating any missing secret (mode 0600). */
export function loadOrCreateSecrets(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  const secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const name of GENERATED_SECRETS) {
    if (typeof secrets[name] !== 'string' || secrets[name].length < 32) {
      secrets[name] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

/**
 * Resolves the full environment: explicit env wins over `.env`, which wins over generated
 * secrets and defaults. `PUBLIC_*` URLs are left unset when not configured: the app derives
 * them from the host of each request, which is what a LAN user expects.
 */
export function resolvePlatformEnv(root, baseEnv = process.env) {
  const env = { ...baseEnv };
  const dotenv = join(root, '.env');
  if (existsSync(dotenv)) {
    const fromFile = parseDotenv(readFileSync(dotenv, 'utf8'));
    for (const [key, value] of Object.entries(fromFile)) env[key] ??= value;
  }
  for (const [key, value] of Object.entries(DEFAULTS)) env[key] ??= value;
  const secrets = loadOrCreateSecrets(join(root, 'data'));
  for (const name of GENERATED_SECRETS) env[name] ??= secrets[name];
  env.NEXTAUTH_URL ??= env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  env.MEDIA_SERVER_API_URL ??= `http://127.0.0.1:${env.MEDIA_HTTP_PORT}/api/streams`;
  return env;
}

/** Minimal KEY=VALUE parser (comments, blank lines, optional quotes), enough for .env.example. */
export function parseDotenv(text) {
  const result = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    if (value !== '') result[key] = value;
  }
  return result;
}
