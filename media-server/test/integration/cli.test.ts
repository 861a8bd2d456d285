// The command line as operators use it: --help, bad flags, environment variables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
