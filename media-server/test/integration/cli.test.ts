// The command line as operators use it: --help, bad flags, environment variables.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publishTestPattern } from '../helpers/ffmpeg.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { mainPath } from '../helpers/media-server.js';
import { freePort } from '../helpers/ports.js';
import { startProcess } from '../helpers/process.js';

describe('onair-media-server command line', () => {
  it('prints usage for --help and exits 0', async () => {
    const child = startProcess(process.execPath, ['--import', 'tsx', mainPath, '--help']);
    assert.equal(await child.exited(), 0);
    assert.match(child.output(), /--on-publish URL {10}on_publish callback \(ON_PUBLISH_URL/);
  });

  it('exits 2 naming the flag on bad configuration', async () => {
    const child = startProcess(process.execPath, ['--import', 'tsx', mainPath, '--rtmp-port', 'x']);
    assert.equal(await child.exited(), 2);
    assert.match(child.output(), /--rtmp-port \/ RTMP_PORT/);
  });

  it('takes its ports from RTMP_PORT / MEDIA_HTTP_PORT and stops on SIGINT with 0', async () => {
    const [rtmp, http] = [await freePort(), await freePort()];
    const child = startProcess(process.execPath, ['--import', 'tsx', mainPath, '--host', '127.0.0.1'], {
      env: { ...process.env, RTMP_PORT: String(rtmp), MEDIA_HTTP_PORT: String(http) },
    });
    await child.waitForOutput(new RegExp(`media server listening rtmp=127\\.0\\.0\\.1:${rtmp} http=127\\.0\\.0\\.1:${http}`), 20_000);
    assert.equal((await fetch(`http://127.0.0.1:${http}/healthz`)).status, 200);
    process.kill(child.pid, 'SIGINT');
    assert.equal(await child.exited(), 0);
  });

  it('the real bin (compiled, shebang flags) ends with 0 after draining on SIGTERM, SIGINT and a doubled signal, with a live publish and a held viewer', { timeout: 120_000 }, async () => {
    const packageDir = fileURLToPath(new URL('../..', import.meta.url));
    await withTempDir('onair-bin-', async (dir) => {
      // The bin imports ../dist/main.js: compile into a copy of that layout.
      await promisify(execFile)(process.execPath, [join(packageDir, '../node_modules/typescript/bin/tsc'), '-p', join(packageDir, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')]);
      await mkdir(join(dir, 'bin'));
      await copyFile(join(packageDir, 'bin/onair-media-server.js'), join(dir, 'bin/onair-media-server.js'));
      // Its dependencies (zod) resolve from the workspace's node_modules, as in the package.
      await symlink(join(packageDir, '../node_modules'), join(dir, 'node_modules'));
      for (const signals of [['SIGTERM'], ['SIGINT'], ['SIGINT', 'SIGTERM']] as const) {
        const [rtmp, http] = [await freePort(), await freePort()];
        // Executed through its shebang (env -S node <the V8 flags of its first line>).
        const child = startProcess('/bin/sh', ['-c', `exec "${join(dir, 'bin/onair-media-server.js')}" --host 127.0.0.1 --rtmp-port ${rtmp} --http-port ${http} --segment-duration-ms 1000`], {
          env: { ...process.env, MEDIA_SERVER_API_TOKEN: 'bin-test-token' },
        });
        let ffmpeg: ReturnType<typeof publishTestPattern> | undefined;
        try {
          await child.waitForOutput(/media server listening/, 20_000);
          ffmpeg = publishTestPattern({ url: `rtmp://127.0.0.1:${rtmp}/live/bin` });
          let playlist = '';
          for (let i = 0; i < 100 && !/#EXT-X-PART:/.test(playlist); i++) {
            await new Promise((r) => setTimeout(r, 200));
            playlist = await (await fetch(`http://127.0.0.1:${http}/live/bin/media.m3u8`)).text().catch(() => '');
          }
          assert.match(playlist, /#EXT-X-PART:/);
          // A viewer held on a far-ahead (but allowed) blocking reload while the server stops.
          const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0) + (playlist.match(/#EXTINF/g)?.length ?? 0) + 1;
          const held = fetch(`http://127.0.0.1:${http}/live/bin/media.m3u8?_HLS_msn=${msn}`).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 200));
          for (const signal of signals) process.kill(child.pid, signal);
          assert.equal(await child.exited(), 0, `${signals.join('+')}: ${child.output().slice(-2000)}`);
          // Even the doubled signal (a terminal's Ctrl-C plus npm start passing it on) drains: the
          // live publish is ended and its on_publish_done posted before the exit.
          assert.match(child.output(), /INFO +stopped/, `${signals.join('+')}: ${child.output().slice(-2000)}`);
          await held;
        } finally {
          await ffmpeg?.stop();
          await child.stop();
        }
      }
    });
  });
});
