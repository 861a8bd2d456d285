// ffprobe (a real demuxer) reads every kind of init segment the packager writes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { encodeInitSegment, type AudioTrack, type VideoTrack } from '../../src/mp4/init-segment.js';
import { av1C320x240, avcC1920x1080, hvcC640x360 } from '../codec/records.js';

const avcC1080 = Buffer.from(avcC1920x1080, 'hex');
const video: VideoTrack = { kind: 'video', id: 1, timescale: 90_000, codec: 'h264', record: avcC1080, width: 1920, height: 1080 };
const audio: AudioTrack = { kind: 'audio', id: 2, timescale: 44_100, config: Uint8Array.of(0x12, 0x10), channels: 2 };

async function ffprobe(path: string): Promise<Array<Record<string, string>>> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,sample_rate,channels,codec_tag_string', '-of', 'json', path]);
  return (JSON.parse(stdout) as { streams: Array<Record<string, string>> }).streams;
}

describe('mp4 init segment read by ffprobe', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-init-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const probes: Array<{ name: string; tracks: Array<VideoTrack | AudioTrack>; expected: Array<Record<string, string | number>> }> = [
    {
      name: 'H.264 + AAC',
      tracks: [video, audio],
      expected: [
        { codec_name: 'h264', codec_tag_string: 'avc1', width: 1920, height: 1080 },
        { codec_name: 'aac', codec_tag_string: 'mp4a', sample_rate: '44100', channels: 2 },
      ],
    },
    {
      name: 'HEVC (hvc1)',
      tracks: [{ ...video, codec: 'h265', record: Buffer.from(hvcC640x360, 'hex'), width: 640, height: 360 }],
      expected: [{ codec_name: 'hevc', codec_tag_string: 'hvc1', width: 640, height: 360 }],
    },
    {
      name: 'AV1 (av01)',
      tracks: [{ ...video, codec: 'av1', record: Buffer.from(av1C320x240, 'hex'), width: 320, height: 240 }],
      expected: [{ codec_name: 'av1', codec_tag_string: 'av01', width: 320, height: 240 }],
    },
    { name: 'audio only', tracks: [audio], expected: [{ codec_name: 'aac', codec_tag_string: 'mp4a', sample_rate: '44100', channels: 2 }] },
  ];
  for (const { name, tracks, expected } of probes) {
    it(`ffprobe reads the ${name} init segment`, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '-')}.mp4`);
      await writeFile(path, encodeInitSegment(tracks));
      const streams = await ffprobe(path);
      assert.equal(streams.length, expected.length);
      expected.forEach((want, i) => {
        for (const [key, value] of Object.entries(want)) assert.equal(streams[i]?.[key], value, `${name} stream ${i} ${key}`);
      });
    });
  }
});
