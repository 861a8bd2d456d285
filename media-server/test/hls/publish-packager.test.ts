import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PublishPackager, type PackagerEvent } from '../../src/hls/publish-packager.js';
import type { MediaMessage } from '../../src/media/types.js';
import { avcC1920x1080, hvcC640x360 } from '../codec/records.js';

const settings = { segmentDurationMs: 1000, partDurationMs: 500, maxSegmentBytes: 1_000_000 };
const first = { baseMs: 0, discontinuity: false, firstInitId: 0, firstSequenceNumber: 1, wallFloorMs: 0 };
const avc: MediaMessage = { type: 'video-config', codec: 'h264', record: Buffer.from(avcC1920x1080, 'hex') };
const aac: MediaMessage = { type: 'audio-config', codec: 'aac', config: Uint8Array.of(0x12, 0x10) };
const frame = (i: number, keyframe = i % 30 === 0): MediaMessage => ({ type: 'video', timestamp: Math.round((i * 1000) / 30), compositionOffset: 0, keyframe, data: new Uint8Array(50) });

function run(packager: PublishPackager, messages: MediaMessage[]): PackagerEvent[] {
  return messages.flatMap((message) => packager.write(message));
}

const types = (events: PackagerEvent[], type: PackagerEvent['type']) => events.filter((e) => e.type === type);

describe('hls publish packager', () => {
  it('starts at the first keyframe with one init section and PDT from the clock', () => {
    const packager = new PublishPackager(settings, first, () => Date.UTC(2026, 0, 1));
    const events = run(packager, [avc, aac, frame(1, false), ...Array.from({ length: 45 }, (_, i) => frame(i + 30))]);
    assert.equal(types(events, 'dropped').length, 1, 'the frame before the keyframe');
    const tracks = types(events, 'tracks');
    assert.equal(tracks.length, 1);
    assert.deepEqual(types(events, 'segment-start')[0], { type: 'segment-start', initId: 0, discontinuity: false, programDateTime: new Date(Date.UTC(2026, 0, 1)), startSeconds: 0 });
    assert.deepEqual(packager.counters, { nextInitId: 1, nextSequenceNumber: 4 }, 'three parts (mfhd 1..3) so far');
  });

  it('a changed decoder configuration starts a new init section after a discontinuity; a repeated one does not', () => {
    const packager = new PublishPackager(settings, first, () => 0);
    const events = run(packager, [avc, ...Array.from({ length: 40 }, (_, i) => frame(i)), avc, ...Array.from({ length: 20 }, (_, i) => frame(i + 40))]);
    assert.equal(types(events, 'tracks').length, 1, 'the same avcC again changes nothing');
    const changed = run(packager, [{ type: 'video-config', codec: 'h265', record: Buffer.from(hvcC640x360, 'hex') }, frame(60), frame(61)]);
    const newTracks = types(changed, 'tracks');
    assert.equal(newTracks.length, 1);
    assert.equal(newTracks[0]?.type === 'tracks' && newTracks[0].video?.codecString, 'hvc1.1.6.L63.90');
    const starts = types(changed, 'segment-start');
    assert.equal(starts.length, 1);
    assert.deepEqual(starts[0]?.type === 'segment-start' && [starts[0].initId, starts[0].discontinuity, starts[0].startSeconds], [1, true, 2]);
    // The old segment is closed before the new one starts.
    assert.ok(changed.findIndex((e) => e.type === 'segment-end') < changed.findIndex((e) => e.type === 'segment-start'));
  });

  it('a continuing publish starts after the previous media, with a discontinuity and a PDT that never goes back', () => {
    const packager = new PublishPackager(settings, { baseMs: 10_001, discontinuity: true, firstInitId: 3, firstSequenceNumber: 40, wallFloorMs: 5_000 }, () => 1_000);
    const events = run(packager, [avc, frame(0), frame(1)]);
    assert.deepEqual(types(events, 'segment-start')[0], { type: 'segment-start', initId: 3, discontinuity: true, programDateTime: new Date(5_000), startSeconds: 10.001 });
  });

  it('measures the frame rate from millisecond timestamps, even over the first few frames', () => {
    const at = (fps: number, count: number) => {
      const packager = new PublishPackager(settings, first, () => 0);
      run(packager, [avc, ...Array.from({ length: count }, (_, i): MediaMessage => ({ type: 'video', timestamp: Math.round((i * 1000) / fps), compositionOffset: 0, keyframe: i === 0, data: new Uint8Array(9) }))]);
      return packager.measuredFrameRate;
    };
    assert.equal(at(30, 4), undefined, 'too few frames');
    assert.equal(at(30, 6), 30);
    assert.equal(at(25, 30), 25);
    assert.equal(at(12.5, 30), 12.5);
  });

  it('an unparseable video configuration is reported and the stream goes on as audio only', () => {
    const packager = new PublishPackager(settings, first, () => 0);
    const audio: MediaMessage[] = Array.from({ length: 30 }, (_, i) => ({ type: 'audio', timestamp: Math.round((i * 1024 * 1000) / 44_100), data: new Uint8Array(10) }));
    const events = run(packager, [{ type: 'video-config', codec: 'h264', record: Uint8Array.of(1, 2, 3) }, aac, frame(0), ...audio]);
    assert.deepEqual(types(events, 'config-rejected').map((e) => e.type === 'config-rejected' && e.track), ['video']);
    const tracks = types(events, 'tracks')[0];
    assert.ok(tracks?.type === 'tracks' && !tracks.video && tracks.audio);
  });
});
