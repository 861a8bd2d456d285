// @ts-check
// The Node/V8 flags the media server runs with live in one place: the shebang of
// media-server/bin/onair-media-server.js, which is what runs when an operator starts the
// `onair-media-server` bin. `npm start` and the benchmark spawn `node <entry>` themselves, so they
// read the flags from that line instead of keeping a copy that could drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SHEBANG_PREFIX = '#!/usr/bin/env -S node';

/**
 * The flags after `node` in a `#!/usr/bin/env -S node ...` first line; [] for a plain `#!/usr/bin/env node`.
 * @param {string} source the bin's text
 * @returns {string[]}
 */
export function nodeFlagsFromShebang(source) {
  const firstLine = (source.split('\n', 1)[0] ?? '').trimEnd();
  if (firstLine === '#!/usr/bin/env node') return [];
  if (!firstLine.startsWith(`${SHEBANG_PREFIX} `)) {
    throw new Error(`expected "${SHEBANG_PREFIX} <flags>" or "#!/usr/bin/env node" as the first line, got ${JSON.stringify(firstLine)}`);
  }
  const flags = firstLine.slice(SHEBANG_PREFIX.length).trim().split(/\s+/);
  const notFlag = flags.find((flag) => !/^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/.test(flag));
  // env -S would also expand quotes, escapes and ${VARS}; a plain flag list keeps this parser exact.
  if (notFlag !== undefined) throw new Error(`unsupported shebang argument ${JSON.stringify(notFlag)} (only --flag or --flag=value)`);
  return flags;
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
  return nodeFlagsFromShebang(readFileSync(mediaServerBin(root), 'utf8'));
}
