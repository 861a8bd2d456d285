// OnAir's media server under test, run from a compiled build (tsc into bench/out/) so that tsx's
// on-the-fly transform is not part of what is measured.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchFromShebang } from '../../scripts/lib/media-server-node-flags.mjs';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort } from '../../media-server/test/helpers/process.js';
import { trackPid, untrackPid } from './cleanup.js';
import type { ServerOptions, ServerUnderTest } from './server.js';

export interface OnAirBuild {
  /** The bench's copy of media-server/bin/onair-media-server.js, importing the bench's build. */
  entryJs: string;
  /** Node flags from the committed bin's shebang, which the `onair-media-server` bin runs with. */
  nodeFlags: string[];
  /** Environment variables the bin's shebang sets (env -S NAME=value), e.g. MALLOC_ARENA_MAX. */
  nodeEnv: Record<string, string>;
  version: string;
}

/**
 * Compiles the COMMITTED media server (git HEAD, not the working tree others may be editing)
 * with its own tsconfig.build.json into `outDir`, so the numbers belong to a known commit.
 */
export function buildOnAir(repoRoot: string, outDir: string): OnAirBuild {
  const git = (args: string[]) => execFileSync('git', args, { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  const commit = git(['rev-parse', '--short', 'HEAD']).toString().trim();
  const srcRoot = join(outDir, 'src-head');
  rmSync(srcRoot, { recursive: true, force: true });
  mkdirSync(srcRoot, { recursive: true });
  const paths = [
    'media-server/src', 'media-server/bin/onair-media-server.js', 'media-server/tsconfig.json', 'media-server/tsconfig.build.json',
    'media-server/package.json',
  ];
  execFileSync('tar', ['-x', '-C', srcRoot], { input: git(['archive', '--format=tar', 'HEAD', '--', ...paths]), timeout: 60_000 });
  if (!existsSync(join(srcRoot, 'media-server', 'src', 'main.ts'))) throw new Error(`media-server/src/main.ts is not committed (HEAD ${commit})`);
  const distDir = join(outDir, 'dist');
  rmSync(distDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(srcRoot, 'media-server', 'tsconfig.build.json'), '--outDir', distDir],
    { cwd: repoRoot, stdio: 'pipe', timeout: 180_000 },
  );
  const pkg = JSON.parse(readFileSync(join(srcRoot, 'media-server', 'package.json'), 'utf8')) as { version?: string };
  const entryJs = join(outDir, 'onair-media-server.mjs');
  // Same as media-server/bin/onair-media-server.js, pointed at this build instead of dist/.
  writeFileSync(
    entryJs,
    `import { main } from ${JSON.stringify(pathToFileURL(join(distDir, 'main.js')).href)};
main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 1; });
`,
  );
  const shebang = launchFromShebang(readFileSync(join(srcRoot, 'media-server', 'bin', 'onair-media-server.js'), 'utf8'));
  const shebangFlags = shebang.nodeFlags;
  // For A/B runs of V8 flags (development): replaces the shebang's flags, and says so in the results.
  const override = process.env.BENCH_ONAIR_NODE_FLAGS?.trim();
  const nodeFlags = override ? override.split(/\s+/) : shebangFlags;
  const measuredPaths = ['media-server/src', 'media-server/bin'];
  const uncommitted = execFileSync('git', ['status', '--porcelain', '--', ...measuredPaths], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
  const note = (uncommitted ? '; uncommitted changes in the working tree were not measured' : '') + (override ? `; node flags ${nodeFlags.join(' ')} instead of the bin's` : '');
  return { entryJs, nodeFlags, nodeEnv: shebang.env, version: `@onair/media-server ${pkg.version ?? '?'} (git ${commit}, committed tree${note})` };
}

/**
 * OnAir's caps when every publisher and viewer is the bench on 127.0.0.1: the per-address caps
 * (10 RTMP connections, 64 HTTP connections, 16 held requests) and the totals are raised well
 * above what the bench uses (up to 50 publishers, or 1000 viewers with one connection each and a
 * blocking reload and a part fetch in turn). The hostile phase runs with the defaults instead.
 */
export const loopbackLimitFlags: readonly string[] = [
  '--rtmp-max-connections-per-address', '1000',
  '--http-max-connections', '20000',
  '--http-max-connections-per-address', '20000',
  '--hls-max-held-per-address', '20000',
  '--hls-max-held-per-stream', '20000',
];

export async function startOnAir(build: OnAirBuild, options: ServerOptions, onPublishUrl?: string): Promise<ServerUnderTest> {
  const [rtmpPort, httpPort] = [await freePort(), await freePort()];
  const flags = [
    '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--app', 'live',
    '--segment-duration-ms', String(options.segmentMs), '--part-duration-ms', String(options.partMs),
    '--hls-window', String(options.window),
    ...(options.onairLimitFlags ?? loopbackLimitFlags),
    ...(options.onairExtraFlags ?? []),
  ];
  if (onPublishUrl !== undefined) flags.push('--on-publish', onPublishUrl);
  const proc = startProcess(process.execPath, [...build.nodeFlags, build.entryJs, ...flags], { env: { ...process.env, ...build.nodeEnv } });
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
      // Development aid (e.g. with BENCH_ONAIR_NODE_FLAGS carrying --trace-gc-nvp): keep the server's output.
      const keepDir = process.env.BENCH_ONAIR_OUTPUT_DIR;
      if (keepDir) {
        mkdirSync(keepDir, { recursive: true });
        writeFileSync(join(keepDir, `onair-${proc.pid}.log`), proc.output());
      }
    },
  };
}
