// The fMP4 and MPEG-TS readers checked against what ffprobe reads from real ffmpeg output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { videoSamples, videoTrackOf } from '../../lib/mp4-samples.js';
import { videoDtsOf } from '../../lib/mpegts-dts.js';

const source = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2'];
const encode = ['-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '2', '-g', '30', '-c:a', 'aac'];

function ffprobeVideoPackets(file: string): Array<{ size: number; dts: number }> {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=size,dts', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [dts, size] = line.split(',').map(Number);
    return { size: size ?? Number.NaN, dts: dts ?? Number.NaN };
  });
}

describe('media parsers on real ffmpeg output', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'onair-bench-test-'));
    const ff = (args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...source, ...encode, ...args], { timeout: 60_000 });
    ff(['-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', join(dir, 'f.mp4')]);
    ff(['-f', 'mpegts', join(dir, 't.ts')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every video sample size of a fragmented MP4 in decode order', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'f.mp4')));
    const track = videoTrackOf(bytes);
    assert.equal(track.timescale > 0, true);
    const samples = videoSamples(bytes, track);
    assert.deepEqual(samples.map((s) => s.size), ffprobeVideoPackets(join(dir, 'f.mp4')).map((p) => p.size));
    assert.equal(samples.length, 60);
  });

  it('reads every video DTS of an MPEG-TS file', () => {
    const dts = videoDtsOf(new Uint8Array(readFileSync(join(dir, 't.ts'))));
    assert.deepEqual(dts, ffprobeVideoPackets(join(dir, 't.ts')).map((p) => p.dts));
  });

  it('refuses truncated input', () => {
    const ts = new Uint8Array(readFileSync(join(dir, 't.ts')));
    assert.throws(() => videoDtsOf(ts.subarray(0, 100)), /whole number of packets/);
  });
});
