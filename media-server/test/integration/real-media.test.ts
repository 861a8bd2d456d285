// Real encoder output through the packager: ffmpeg (libx264 with B-frames, AAC) writes FLV,
// the ingest's FLV tag decoders turn it into MediaMessages, the HLS service packages them, and
// ffprobe reads init + segments back. Also run with the RTMP timestamps shifted to cross the
// 2^32 ms wrap mid-stream and with clock jumps. HEVC (x265, B-frames) and AV1 (SVT-AV1) come
// from fragmented MP4 files, as ffmpeg 5.1 cannot write Enhanced RTMP.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { MediaMessage } from '../../src/media/types.js';
import { parseFragments } from '../mp4/parse.js';
import { encodeTestFlv, readFlvFile, type EncodeOptions } from '../hls/helpers/flv-file.js';
import { encodeFragmentedMp4, readFragmentedMp4 } from '../hls/helpers/fmp4-file.js';
import { startHarness, type Harness } from '../hls/helpers/service-harness.js';

const run = promisify(execFile);

interface ProbeStream {
  codec_name: string;
  width?: number;
  height?: number;
  nb_read_frames?: string;
}

async function probe(path: string): Promise<{ streams: ProbeStream[]; stderr: string }> {
  const { stdout, stderr } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', path]);
  return { streams: (JSON.parse(stdout) as { streams: ProbeStream[] }).streams, stderr };
}

function shifted(messages: MediaMessage[], shiftMs: number, fromMs = 0): MediaMessage[] {
  return messages.map((m) => ((m.type === 'video' || m.type === 'audio') && m.timestamp >= fromMs ? { ...m, timestamp: (m.timestamp + shiftMs + 2 ** 32) % 2 ** 32 } : m));
}

const sources: Array<{ name: string; encode: EncodeOptions; shiftMs?: number; shiftFromMs?: number; enhanced?: 'h265' | 'av1' }> = [
  { name: 'HEVC (Enhanced RTMP hvc1) passes through', encode: { durationSeconds: 3, audio: false }, enhanced: 'h265' },
  { name: 'AV1 (Enhanced RTMP av01) passes through', encode: { durationSeconds: 3, audio: false }, enhanced: 'av1' },
  { name: 'H.264 with B-frames + AAC', encode: { durationSeconds: 4, bframes: 2 } },
  { name: 'H.264 + AAC across the 2^32 ms timestamp wrap', encode: { durationSeconds: 4 }, shiftMs: 2 ** 32 - 1500 },
  { name: 'H.264 + AAC whose clock jumps back 20 s mid-stream', encode: { durationSeconds: 4 }, shiftMs: -20_000, shiftFromMs: 2500 },
  { name: 'H.264 + AAC whose clock jumps forward an hour mid-stream', encode: { durationSeconds: 4 }, shiftMs: 3_600_000, shiftFromMs: 1700 },
  { name: 'video only', encode: { durationSeconds: 3, audio: false } },
  { name: 'audio only', encode: { durationSeconds: 3, video: false } },
];

describe('hls packaging of real encoder output', () => {
  let dir: string;
  let harness: Harness;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onair-hls-real-'));
    harness = await startHarness();
  });
  after(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  sources.forEach(({ name, encode, shiftMs, shiftFromMs, enhanced }, index) => {
    it(`${name}: ffprobe reads init + segments with the source's codecs, size and frame count`, async () => {
      const flv = join(dir, `in-${index}.${enhanced ? 'mp4' : 'flv'}`);
      if (enhanced) await encodeFragmentedMp4(flv, enhanced, encode.durationSeconds);
      else await encodeTestFlv(flv, encode);
      const source = await probe(flv);
      const original = enhanced ? await readFragmentedMp4(flv, enhanced) : await readFlvFile(flv);
      let messages = original;
      if (shiftMs !== undefined) messages = shifted(messages, shiftMs, shiftFromMs);
      const sink = harness.service.open({ app: 'live', name: `real${index}`, publishedAt: new Date() });
      for (const message of messages) sink.write(message);
      sink.end('unpublish');

      const base = `${harness.base}/live/real${index}/`;
      const playlist = await (await fetch(`${base}media.m3u8`)).text();
      const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)?.[1];
      assert.ok(map, playlist);
      const segmentUris = playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      const init = new Uint8Array(await (await fetch(base + map)).arrayBuffer());
      const segments = await Promise.all(segmentUris.map(async (uri) => new Uint8Array(await (await fetch(base + uri)).arrayBuffer())));
      const out = join(dir, `out-${index}.mp4`);
      await writeFile(out, Buffer.concat([init, ...segments]));

      const packaged = await probe(out);
      assert.equal(packaged.stderr, '', 'ffprobe reports no errors');
      // Segments start on the first keyframe: audio timed before it (ffmpeg's first AAC frame
      // at 0 ms when video starts at 23 ms) is not part of the stream.
      const firstVideo = original.find((m) => m.type === 'video');
      const early = firstVideo?.type === 'video' ? original.filter((m) => m.type === 'audio' && m.timestamp < firstVideo.timestamp).length : 0;
      assert.deepEqual(
        packaged.streams.map((s) => [s.codec_name, s.width, s.height, s.nb_read_frames]),
        source.streams.map((s) => [s.codec_name, s.width, s.height, s.codec_name === 'aac' ? String(Number(s.nb_read_frames) - early) : s.nb_read_frames]),
      );

      // Sample counts and timing from our own boxes: every input frame, decode times continuous.
      const fragments = segments.flatMap((segment) => parseFragments(segment));
      const videoFrames = messages.filter((m) => m.type === 'video').length;
      const videoRuns = fragments.flatMap((f) => f.trafs.filter((t) => t.trackId === 1));
      assert.equal(videoRuns.reduce((n, run) => n + run.samples.length, 0), videoFrames);
      for (let i = 1; i < videoRuns.length; i++) {
        const previous = videoRuns[i - 1]!;
        const end = previous.baseDecodeTime + previous.samples.reduce((sum, s) => sum + s.duration, 0);
        assert.ok(Math.abs(videoRuns[i]!.baseDecodeTime - end) <= 1500, `video run ${i} starts ${videoRuns[i]!.baseDecodeTime - end} ticks from the previous end`);
      }
      const offsets = videoRuns.flatMap((run) => run.samples.map((s) => s.compositionOffset));
      if (encode.bframes) assert.ok(offsets.some((o) => o > 0), 'B-frame composition offsets are carried');
      const audioRuns = fragments.flatMap((f) => f.trafs.filter((t) => t.trackId === 2));
      for (let i = 1; i < audioRuns.length; i++) {
        const previous = audioRuns[i - 1]!;
        assert.equal(audioRuns[i]!.baseDecodeTime, previous.baseDecodeTime + previous.samples.length * 1024, `audio run ${i} is sample-contiguous`);
      }
      // Segment durations add up to the media duration (within a frame).
      const listed = [...playlist.matchAll(/#EXTINF:([\d.]+),/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      assert.ok(Math.abs(listed - encode.durationSeconds) < 0.1, `segments list ${listed} s of ${encode.durationSeconds} s`);
    });
  });
});
