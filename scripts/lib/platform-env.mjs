// @ts-check
// The environment `npm start` runs the platform with: the operator's env (and `.env`), plus
// defaults, plus secrets generated once into DATA_DIR/secrets.json and kept across restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../../lib/config/database-url.mjs';
import { envProblems } from '../../lib/config/env-schema.mjs';

/** @typedef {Record<string, string | undefined>} Env */
/**
 * The settings `npm start` always resolves; other keys are as the environment had them (it is
 * built from process.env, and handed to child processes as theirs).
 * @typedef {NodeJS.ProcessEnv & {
 *   PORT: string; RTMP_PORT: string; MEDIA_HTTP_PORT: string; RTMP_APP: string; MEDIA_SERVER: string;
 *   DATA_DIR: string; DATABASE_URL: string; NEXTAUTH_SECRET: string; RTMP_CALLBACK_SECRET: string;
 *   MEDIA_SERVER_API_TOKEN: string; MEDIA_SERVER_API_URL: string; RECORD_DIR: string;
 * }} PlatformEnv
 */

/** Defaults for every setting `npm start` reads; `.env.example` documents the same list. */
export const DEFAULTS = {
  PORT: '3000',
  RTMP_PORT: '1935',
  MEDIA_HTTP_PORT: '8935',
  RTMP_APP: 'live',
  MEDIA_SERVER: 'bundled',
  /** Database, secrets. Relative to the project folder. */
  DATA_DIR: './data',
  /** With DATA_DIR set elsewhere, the default database moves along: file:<DATA_DIR>/onair.db. */
  DATABASE_URL: DEFAULT_DATABASE_URL,
};

// MEDIA_SERVER_API_TOKEN: the bearer both processes share for the media server's private API
// (/api/streams, kick); it reaches them through the environment only, never argv or a log.
const GENERATED_SECRETS = ['NEXTAUTH_SECRET', 'RTMP_CALLBACK_SECRET', 'MEDIA_SERVER_API_TOKEN'];
const DERIVED = ['NEXTAUTH_URL', 'MEDIA_SERVER_API_URL', 'PUBLIC_URL', 'PUBLIC_RTMP_URL', 'PUBLIC_HLS_URL'];
const PORT_SETTINGS = ['PORT', 'RTMP_PORT', 'MEDIA_HTTP_PORT'];

/**
 * Problems with a resolved environment, one line each naming the variable and the rule; [] when
 * fine. The rules are the web app's own (lib/config/env-schema.mjs) plus what only matters when
 * one machine runs everything (distinct ports).
 * @param {Env} env
 * @returns {string[]}
 */
export function checkPlatformEnv(env) {
  // npm start sets NODE_ENV for the web app itself; the operator's value does not matter here.
  const problems = envProblems({ ...env, NODE_ENV: 'production' });
  const ports = PORT_SETTINGS.map((key) => env[key]);
  if (new Set(ports).size !== ports.length) problems.push(`PORT, RTMP_PORT and MEDIA_HTTP_PORT must differ (${ports.join(', ')})`);
  return problems;
}

/**
 * Reads DATA_DIR/secrets.json, generating any missing secret (mode 0600); other keys in the file
 * are kept there.
 * @param {string} dataDir
 * @returns {Record<string, string>} the generated secrets, by name
 */
export function loadOrCreateSecrets(dataDir) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'secrets.json');
  /** @type {Record<string, unknown>} */
  let secrets = {};
  if (existsSync(file)) {
    try {
      secrets = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      // Regenerating would silently sign everyone out and break the media server's callbacks:
      // stop and say which file to fix (or delete).
      throw new Error(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it or delete it to generate new secrets`);
    }
    if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets)) {
      throw new Error(`${file} must hold a JSON object; fix it or delete it to generate new secrets`);
    }
  }
  let changed = false;
  /** @type {Record<string, string>} */
  const generated = {};
  for (const name of GENERATED_SECRETS) {
    const kept = secrets[name];
    if (typeof kept === 'string' && kept.length >= 32) {
      generated[name] = kept;
    } else {
      secrets[name] = generated[name] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return generated;
}

/**
 * Resolves the full environment: explicit env wins over `.env`, which wins over generated
 * secrets and defaults. `PUBLIC_*` URLs are left unset when not configured: the app derives
 * them from the host of each request, which is what a LAN user expects.
 * @param {string} root the project folder (`.env`, relative DATA_DIR)
 * @param {Env} [baseEnv]
 * @returns {PlatformEnv}
 */
export function resolvePlatformEnv(root, baseEnv = process.env) {
  /** @type {Env} */
  const env = { ...baseEnv };
  const dotenv = join(root, '.env');
  if (existsSync(dotenv)) {
    const fromFile = parseDotenv(readFileSync(dotenv, 'utf8'));
    for (const [key, value] of Object.entries(fromFile)) env[key] ??= value;
  }
  // An empty value counts as unset, like in .env (`PORT=` must not mean port "").
  for (const key of [...Object.keys(DEFAULTS), ...GENERATED_SECRETS, ...DERIVED]) if (env[key] === '') delete env[key];
  const dataDir = resolve(root, env.DATA_DIR ?? DEFAULTS.DATA_DIR);
  if (env.DATA_DIR !== undefined) env.DATABASE_URL ??= `file:${join(dataDir, 'onair.db')}`;
  for (const [key, value] of Object.entries(DEFAULTS)) env[key] ??= value;
  const secrets = loadOrCreateSecrets(dataDir);
  for (const name of GENERATED_SECRETS) env[name] ??= secrets[name];
  // Only a configured PUBLIC_URL pins next-auth's base URL; without one next-auth follows the host
  // each browser used (scripts/web-server.mjs), like every other URL the app derives.
  if (env.PUBLIC_URL !== undefined) env.NEXTAUTH_URL ??= env.PUBLIC_URL;
  env.MEDIA_SERVER_API_URL ??= `http://127.0.0.1:${env.MEDIA_HTTP_PORT}/api/streams`;
  // Past broadcasts (issue #15): the media server records here and the web app reads the same folder.
  env.RECORD_DIR = resolve(root, env.RECORD_DIR || join(dataDir, 'recordings'));
  // Every key PlatformEnv promises was set above (DEFAULTS, the secrets, MEDIA_SERVER_API_URL).
  return /** @type {PlatformEnv} */ (env);
}

/**
 * Minimal KEY=VALUE parser (comments, blank lines, optional quotes), enough for .env.example.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseDotenv(text) {
  /** @type {Record<string, string>} */
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

/**
 * The settings among `keys` whose port something else already listens on (an earlier `npm start`
 * still running, another server), found by binding each port the way the servers will.
 * @param {Env} env
 * @param {string[]} keys
 * @returns {Promise<string[]>} `KEY=port` of each busy one
 */
export async function busyPorts(env, keys) {
  const busy = [];
  for (const key of keys) {
    const port = Number(env[key]);
    const free = await new Promise((/** @type {(free: boolean) => void} */ resolvePort) => {
      const server = createServer();
      server.once('error', () => resolvePort(false));
      server.listen(port, () => server.close(() => resolvePort(true)));
    });
    if (!free) busy.push(`${key}=${port}`);
  }
  return busy;
}
