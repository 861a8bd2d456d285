import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamStats } from '../../src/streams/stream-stats.js';

describe('stream stats', () => {
  it('measures frame rate and bitrate over the last seconds of wall-clock time', () => {
    let now = 1_000_000;
    const stats = new StreamStats(() => now);
    stats.record({ type: 'metadata', width: 1280, height: 720, frameRate: 30, encoder: 'obs' });
    stats.record({ type: 'video-config', codec: 'h265', record: new Uint8Array(4) }); // unparseable: metadata size used
    stats.record({ type: 'audio-config', codec: 'aac', config: new Uint8Array(2) });
    // 10 s of 25 fps video at 1000 bytes/frame (200 kbit/s) and 50 audio frames/s of 100 bytes (40 kbit/s).
    for (let ms = 0; ms < 10_000; ms += 20) {
      now = 1_000_000 + ms;
      if (ms % 40 === 0) stats.record({ type: 'video', timestamp: ms, compositionOffset: 0, keyframe: false, data: new Uint8Array(1000) });
      stats.record({ type: 'audio', timestamp: ms, data: new Uint8Array(100) });
    }
    now = 1_010_000;
    const snapshot = stats.snapshot();
    assert.equal(snapshot.videoCodec, 'h265');
    assert.equal(snapshot.audioCodec, 'aac');
    assert.equal(snapshot.width, 1280);
    assert.equal(snapshot.declaredFps, 30);
    assert.ok(Math.abs((snapshot.measuredFps ?? 0) - 25) < 1.5, `fps ${snapshot.measuredFps}`);
    assert.ok(Math.abs((snapshot.measuredBitrateKbps ?? 0) - 240) < 15, `kbps ${snapshot.measuredBitrateKbps}`);
    assert.equal(snapshot.videoFrames, 250);
  });

  it('takes size and codec string from the real avcC ffmpeg sent, over onMetaData', () => {
    const stats = new StreamStats(() => 0);
    stats.record({ type: 'metadata', width: 1920, height: 1080 });
    const avcC = Buffer.from('014d400cffe10019674d400ceca1423f2e022000000300200000030281e28532c001000468ce3c80', 'hex');
    stats.record({ type: 'video-config', codec: 'h264', record: avcC });
    const snapshot = stats.snapshot();
    assert.deepEqual([snapshot.width, snapshot.height, snapshot.videoCodecString], [160, 120, 'avc1.4d400c']);
  });

  it('falls back to onMetaData when the record does not parse', () => {
    const stats = new StreamStats(() => 0);
    stats.record({ type: 'metadata', width: 640, height: 360 });
    stats.record({ type: 'video-config', codec: 'h264', record: new Uint8Array(3) });
    assert.deepEqual([stats.snapshot().width, stats.snapshot().videoCodecString], [640, null]);
  });

  it('reports no measurement for the first half second', () => {
    const stats = new StreamStats(() => 5);
    assert.equal(stats.snapshot().measuredFps, null);
  });

  it('drops to zero when media stops', () => {
    let now = 0;
    const stats = new StreamStats(() => now);
    for (; now < 3000; now += 40) stats.record({ type: 'video', timestamp: now, compositionOffset: 0, keyframe: false, data: new Uint8Array(10) });
    now = 20_000;
    assert.equal(stats.snapshot().measuredFps, 0);
  });
});
