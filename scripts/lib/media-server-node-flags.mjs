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
  const assignments = words.slice(0, Math.max(0, nodeAt)).map((word) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word));
  if (nodeAt < 0 || assignments.some((match) => match === null)) {
    throw new Error(`expected "#!/usr/bin/env -S [NAME=VALUE ...] node <flags>" or "#!/usr/bin/env node" as the first line, got ${JSON.stringify(firstLine)}`);
  }
  /** @type {Record<string, string>} */
  const env = {};
  for (const match of assignments) {
    const [word, name, value] = /** @type {RegExpExecArray & [string, string, string]} */ (match);
    // env -S would also expand quotes, escapes and ${VARS}; plain words keep this parser exact.
    if (!/^[A-Za-z0-9._-]*$/.test(value)) throw new Error(`unsupported shebang argument ${JSON.stringify(word)} (only NAME=value with a plain value)`);
    env[name] = value;
  }
  const nodeFlags = words.slice(nodeAt + 1);
  const notFlag = nodeFlags.find((flag) => !/^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/.test(flag));
  if (notFlag !== undefined) throw new Error(`unsupported shebang argument ${JSON.stringify(notFlag)} (only --flag or --flag=value)`);
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
 * The flags and environment of the working tree's media server bin (one read of its first line).
 * @param {string} root
 */
export function mediaServerLaunch(root) {
  return launchFromShebang(readFileSync(mediaServerBin(root), 'utf8'));
}
