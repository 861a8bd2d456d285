// @ts-check
// The Node/V8 flags (and the few environment variables, such as glibc's MALLOC_ARENA_MAX, that
// must be set before the process starts) the media server runs with live in one place: the shebang of
// media-server/bin/onair-media-server.js, which is what runs when an operator starts the
// `onair-media-server` bin. `npm start` and the benchmark spawn `node <entry>` themselves, so they
// read them from that line instead of keeping a copy that could drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ENV_S = '#!/usr/bin/env -S ';

/**
 * What the first line `#!/usr/bin/env -S [NAME=VALUE ...] node [--flag ...]` starts the server
 * with: the environment variables env sets and the flags after `node`. A plain
 * `#!/usr/bin/env node` is neither.
 * @param {string} source the bin's text
 * @returns {{ env: Record<string, string>, nodeFlags: string[] }}
 */
export function launchFromShebang(source) {
  const firstLine = (source.split('\n', 1)[0] ?? '').trimEnd();
  if (firstLine === '#!/usr/bin/env node') return { env: {}, nodeFlags: [] };
  const words = firstLine.startsWith(ENV_S) ? firstLine.slice(ENV_S.length).trim().split(/\s+/) : [];
  const nodeAt = words.indexOf('node');
  const assignments = words.slice(0, Math.max(0, nodeAt));
  if (nodeAt < 0 || assignments.some((word) => !/^[A-Z_][A-Z0-9_]*=/.test(word))) {
    throw new Error(`expected "#!/usr/bin/env -S [NAME=VALUE ...] node <flags>" or "#!/usr/bin/env node" as the first line, got ${JSON.stringify(firstLine)}`);
  }
  // env -S would also expand quotes, escapes and ${VARS}; plain words keep this parser exact.
  const plain = /^[A-Za-z0-9._-]*$/;
  const notPlain = assignments.find((word) => !plain.test(word.slice(word.indexOf('=') + 1)));
  if (notPlain !== undefined) throw new Error(`unsupported shebang argument ${JSON.stringify(notPlain)} (only NAME=value with a plain value)`);
  const nodeFlags = words.slice(nodeAt + 1);
  const notFlag = nodeFlags.find((flag) => !/^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/.test(flag));
  if (notFlag !== undefined) throw new Error(`unsupported shebang argument ${JSON.stringify(notFlag)} (only --flag or --flag=value)`);
  const env = Object.fromEntries(assignments.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
  return { env, nodeFlags };
}

/**
 * Path of the media server's bin entry under the repository root.
 * @param {string} root
 */
export function mediaServerBin(root) {
  return join(root, 'media-server', 'bin', 'onair-media-server.js');
}

/**
 * The flags of the working tree's media server bin.
 * @param {string} root
 */
export function mediaServerNodeFlags(root) {
  return launchFromShebang(readFileSync(mediaServerBin(root), 'utf8')).nodeFlags;
}

/**
 * The environment variables the working tree's media server bin sets for itself.
 * @param {string} root
 */
export function mediaServerNodeEnv(root) {
  return launchFromShebang(readFileSync(mediaServerBin(root), 'utf8')).env;
}
