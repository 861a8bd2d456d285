// OBS Studio (Debian `obs-studio`, 29.x) streaming headless under xvfb-run to the real server, with
// a real on_publish callback server. Needs the apt packages obs-studio, xvfb and xauth; skipped
// (with that reason) when they are absent. OBS gets a throwaway HOME with a profile (320x240,
// x264 ultrafast 500 kbit/s, AAC 64 kbit/s), a custom RTMP service and a one-colour scene.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHookServer, type HookServer } from '../helpers/hook-server.js';
import { startMediaServerProcess, type MediaServerProcess } from '../helpers/media-server.js';
import { startProcess, type ManagedProcess } from '../helpers/process.js';

const missing = ['obs', 'xvfb-run', 'xauth'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const skip = missing.length > 0 ? `needs ${missing.join(', ')} (apt-get install obs-studio xvfb xauth)` : false;

function writeObsHome(home: string, server: string, key: string): void {
  const config = join(home, '.config', 'obs-studio');
  const profile = join(config, 'basic', 'profiles', 'OnAir');
  const scenes = join(config, 'basic', 'scenes');
  mkdirSync(profile, { recursive: true });
  mkdirSync(scenes, { recursive: true });
  writeFileSync(
    join(config, 'global.ini'),
    '[General]\nFirstRun=false\nEnableAutoUpdates=false\nConfirmOnExit=false\n[Basic]\nProfile=OnAir\nProfileDir=OnAir\nSceneCollection=OnAir\nSceneCollectionFile=OnAir\nConfigOnNewProfile=false\n',
  );
  writeFileSync(
    join(profile, 'basic.ini'),
    '[General]\nName=OnAir\n[Video]\nBaseCX=320\nBaseCY=240\nOutputCX=320\nOutputCY=240\nFPSType=0\nFPSCommon=30\n[Output]\nMode=Simple\n' +
      '[SimpleOutput]\nVBitrate=500\nABitrate=64\nStreamEncoder=x264\nPreset=ultrafast\n[Audio]\nSampleRate=44100\nChannelSetup=Stereo\n',
  );
  writeFileSync(join(profile, 'service.json'), JSON.stringify({ type: 'rtmp_custom', settings: { server, key, use_auth: false } }));
  writeFileSync(
    join(scenes, 'OnAir.json'),
    JSON.stringify({
      current_scene: 'Scene',
      current_program_scene: 'Scene',
      name: 'OnAir',
      scene_order: [{ name: 'Scene' }],
      sources: [
        { id: 'scene', versioned_id: 'scene', name: 'Scene', settings: { id_counter: 1, items: [{ name: 'Color', id: 1, visible: true }] } },
        { id: 'color_source', versioned_id: 'color_source_v3', name: 'Color', settings: { color: 4278190335, width: 320, height: 240 } },
      ],
    }),
  );
}

describe('OBS Studio publishing', { skip }, () => {
  let hooks: HookServer;
  let server: MediaServerProcess;
  let home: string;
  let obs: ManagedProcess | undefined;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'onair-obs-'));
    hooks = await startHookServer(() => ({ status: 200 }));
    server = await startMediaServerProcess(['--on-publish', hooks.url('/on_publish'), '--on-publish-done', hooks.url('/on_publish_done'), '--segment-duration-ms', '1000']);
  });

  after(async () => {
    if (obs) await stopGroup(obs);
    await server?.stop();
    await hooks?.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** xvfb-run starts Xvfb and OBS: its own process group, so all three go together. */
  async function stopGroup(child: ManagedProcess): Promise<void> {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group exited between the two signals
      }
    }, 5000);
    await child.exited();
    clearTimeout(timer);
  }

  it('streams H.264/AAC through on_publish, shows up in /api/streams and HLS, and is reported done', { timeout: 90_000 }, async () => {
    writeObsHome(home, `rtmp://127.0.0.1:${server.rtmpPort}/live`, 'obs-key?token=t1');
    obs = startProcess('xvfb-run', ['-a', 'obs', '--startstreaming', '--multi', '--disable-missing-files-check', '--profile', 'OnAir', '--collection', 'OnAir'], {
      env: { ...process.env, HOME: home, LIBGL_ALWAYS_SOFTWARE: '1' },
      detached: true,
    });
    const publish = await hooks.waitFor((r) => r.path === '/on_publish', 45_000);
    assert.equal(publish.form.get('name'), 'obs-key');
    assert.equal(publish.form.get('token'), 't1');
    assert.match(publish.form.get('flashver') ?? '', /^FMLE\/3\.0 \(compatible; FMSc/);
    let stream: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !(stream?.videoCodec && stream.audioCodec); i++) {
      await new Promise((r) => setTimeout(r, 200));
      const body = (await (await server.api('/api/streams')).json()) as { streams: Array<Record<string, unknown>> };
      stream = body.streams.find((s) => s.name === 'obs-key');
    }
    assert.ok(stream);
    assert.equal(stream.videoCodec, 'h264');
    assert.equal(stream.audioCodec, 'aac');
    assert.equal(stream.width, 320);
    assert.match(String(stream.encoder), /^obs-output module/);
    let status = 0;
    for (let i = 0; i < 75 && status !== 200; i++) {
      const res = await fetch(server.httpUrl('/live/obs-key/index.m3u8'));
      await res.arrayBuffer();
      status = res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 200);
    await stopGroup(obs);
    obs = undefined;
    const done = await hooks.waitFor((r) => r.path === '/on_publish_done', 15_000);
    assert.equal(done.form.get('name'), 'obs-key');
    assert.equal(done.form.get('token'), 't1');
  });
});
