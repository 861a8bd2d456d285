// OnAir's media server under test, run from a compiled build (tsc into bench/out/) so that tsx's
// on-the-fly transform is not part of what is measured.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort } from '../../media-server/test/helpers/process.js';
import { trackPid, untrackPid } from './cleanup.js';
import { gitState } from './machine.js';
import type { ServerOptions, ServerUnderTest } from './server.js';

export interface OnAirBuild {
  /** The bench's copy of media-server/bin/onair-media-server.js, importing the bench's build. */
  entryJs: string;
  version: string;
}

/** Compiles media-server/src with its own tsconfig.build.json into `outDir`. */
export function buildOnAir(repoRoot: string, outDir: string): OnAirBuild {
  const srcMain = join(repoRoot, 'media-server', 'src', 'main.ts');
  if (!existsSync(srcMain)) throw new Error('media-server/src/main.ts does not exist yet');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'media-server', 'tsconfig.build.json'), '--outDir', outDir],
    { cwd: repoRoot, stdio: 'pipe', timeout: 180_000 },
  );
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'media-server', 'package.json'), 'utf8')) as { version?: string };
  const entryJs = join(outDir, 'onair-media-server.mjs');
  // Same as media-server/bin/onair-media-server.js, pointed at this build instead of dist/.
  writeFileSync(
    entryJs,
    `import { main } from ${JSON.stringify(pathToFileURL(join(outDir, 'main.js')).href)};
main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 1; });
`,
  );
  return { entryJs, version: `@onair/media-server ${pkg.version ?? '?'} (${gitState(repoRoot, ['media-server/src'])})` };
}

export async function startOnAir(build: OnAirBuild, options: ServerOptions, onPublishUrl?: string): Promise<ServerUnderTest> {
  const [rtmpPort, httpPort] = [await freePort(), await freePort()];
  const flags = [
    '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--app', 'live',
    '--segment-duration-ms', String(options.segmentMs), '--part-duration-ms', String(options.partMs),
    '--hls-window', String(options.window),
  ];
  if (onPublishUrl !== undefined) flags.push('--on-publish', onPublishUrl);
  const proc = startProcess(process.execPath, [build.entryJs, ...flags]);
  trackPid(proc.pid);
  try {
    await waitForPort(rtmpPort, 15_000);
    await waitForPort(httpPort, 15_000);
  } catch (error) {
    await proc.stop(1_000);
    untrackPid(proc.pid);
    throw new Error(`OnAir media server did not start: ${String(error)}\n${proc.output()}`);
  }
  return {
    name: 'OnAir',
    pid: proc.pid,
    rtmpUrl: (key) => `rtmp://127.0.0.1:${rtmpPort}/live/${key}`,
    playlistUrl: (key) => `http://127.0.0.1:${httpPort}/live/${key}/index.m3u8`,
    async stop() {
      await proc.stop(5_000);
      untrackPid(proc.pid);
    },
  };
}
