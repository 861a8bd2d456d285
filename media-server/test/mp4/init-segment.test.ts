import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { findBox, listBoxes } from '../../src/mp4/box.js';
import { encodeInitSegment, type AudioTrack, type VideoTrack } from '../../src/mp4/init-segment.js';
import { av1C320x240, avcC1920x1080, hvcC640x360 } from '../codec/records.js';

const avcC1080 = Buffer.from(avcC1920x1080, 'hex');
const video: VideoTrack = { kind: 'video', id: 1, timescale: 90_000, codec: 'h264', record: avcC1080, width: 1920, height: 1080 };
const audio: AudioTrack = { kind: 'audio', id: 2, timescale: 44_100, config: Uint8Array.of(0x12, 0x10), channels: 2 };

async function ffprobe(path: string): Promise<Array<Record<string, string>>> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,sample_rate,channels,codec_tag_string', '-of', 'json', path]);
  return (JSON.parse(stdout) as { streams: Array<Record<string, string>> }).streams;
}

describe('mp4 init segment', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-init-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has the CMAF box tree, one trak per track and a trex each', () => {
    const init = encodeInitSegment([video, audio]);
    assert.deepEqual(listBoxes(init).map((b) => b.type), ['ftyp', 'moov']);
    assert.deepEqual(listBoxes(findBox(init, ['moov'])[0]!.payload).map((b) => b.type), ['mvhd', 'trak', 'trak', 'mvex']);
    assert.equal(findBox(init, ['moov', 'mvex', 'trex']).length, 2);
    const [avcC] = findBox(init, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);
    assert.deepEqual(Buffer.from(avcC!.payload), avcC1080, 'avcC is the publisher record, byte for byte');
    const mdhds = findBox(init, ['moov', 'trak', 'mdia', 'mdhd']).map((b) => new DataView(b.payload.buffer, b.payload.byteOffset).getUint32(12));
    assert.deepEqual(mdhds, [90_000, 44_100]);
    const [esds] = findBox(init, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'mp4a', 'esds']);
    assert.ok(Buffer.from(esds!.payload).includes(Buffer.from([0x05, 0x02, 0x12, 0x10])), 'DecoderSpecificInfo carries the ASC');
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
