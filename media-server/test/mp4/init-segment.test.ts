// The init segment's box tree, checked by parsing it back; ffprobe reading it is in ../integration/init-segment-ffprobe.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findBox, listBoxes } from '../../src/mp4/box.js';
import { encodeInitSegment, type AudioTrack, type VideoTrack } from '../../src/mp4/init-segment.js';
import { avcC1920x1080 } from '../codec/records.js';

const avcC1080 = Buffer.from(avcC1920x1080, 'hex');
const video: VideoTrack = { kind: 'video', id: 1, timescale: 90_000, codec: 'h264', record: avcC1080, width: 1920, height: 1080 };
const audio: AudioTrack = { kind: 'audio', id: 2, timescale: 44_100, config: Uint8Array.of(0x12, 0x10), channels: 2 };

describe('mp4 init segment', () => {
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
});
