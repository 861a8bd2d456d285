import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCommand, MessageType, RtmpChunkReader, videoFrameInfo } from '../lib/rtmp-chunk-reader.js';

const handshake = new Uint8Array(1 + 1536 + 1536);

function u24(n: number): number[] {
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** fmt 0 chunk header on chunk stream `csid` (< 64). */
function fmt0(csid: number, timestamp: number, length: number, type: number, streamId = 1): number[] {
  const extended = timestamp >= 0xffffff;
  const header = [csid, ...u24(extended ? 0xffffff : timestamp), ...u24(length), type, streamId, 0, 0, 0];
  if (extended) header.push((timestamp >>> 24) & 0xff, (timestamp >> 16) & 0xff, (timestamp >> 8) & 0xff, timestamp & 0xff);
  return header;
}

describe('RtmpChunkReader', () => {
  it('skips the handshake and reads a whole message split across pushes', () => {
    const reader = new RtmpChunkReader();
    const payload = [0x17, 0x01, 0, 0, 0, 9, 9, 9];
    const bytes = new Uint8Array([...handshake, ...fmt0(6, 40, payload.length, MessageType.Video), ...payload]);
    assert.deepEqual(reader.push(bytes.subarray(0, 3000)), []);
    assert.deepEqual(reader.push(bytes.subarray(3000, bytes.length - 1)), []);
    const [message] = reader.push(bytes.subarray(bytes.length - 1));
    assert.ok(message);
    assert.equal(message.type, MessageType.Video);
    assert.equal(message.timestamp, 40);
    assert.deepEqual(videoFrameInfo(message), { keyframe: true, codedFrame: true, sampleBytes: 3 });
  });

  it('reassembles fmt 3 continuation chunks at the default 128-byte chunk size, with an extended timestamp', () => {
    const reader = new RtmpChunkReader();
    const payload = Array.from({ length: 300 }, (_, i) => (i === 0 ? 0x27 : i === 1 ? 1 : i & 0xff));
    const ts = 0x01000000;
    const ext = [1, 0, 0, 0];
    const bytes = [
      ...fmt0(6, ts, 300, MessageType.Video), ...payload.slice(0, 128),
      0xc6, ...ext, ...payload.slice(128, 256),
      0xc6, ...ext, ...payload.slice(256),
    ];
    const messages = reader.push(new Uint8Array([...handshake, ...bytes]));
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.timestamp, ts);
    assert.equal(messages[0]?.length, 300);
    assert.equal(messages[0] && videoFrameInfo(messages[0]).keyframe, false);
  });

  it('applies Set Chunk Size and fmt 1/2 timestamp deltas', () => {
    const reader = new RtmpChunkReader();
    const setChunkSize = [...fmt0(2, 0, 4, MessageType.SetChunkSize, 0), 0, 0, 0x10, 0];
    const big = Array.from({ length: 1000 }, () => 7);
    const fmt1 = [0x46, ...u24(33), ...u24(1000), MessageType.Video];
    const fmt2 = [0x86, ...u24(34)];
    const bytes = [...setChunkSize, ...fmt0(6, 100, 1000, MessageType.Video), ...big, ...fmt1, ...big, ...fmt2, ...big];
    const messages = reader.push(new Uint8Array([...handshake, ...bytes]));
    assert.deepEqual(messages.map((m) => [m.type, m.timestamp]), [[1, 0], [9, 100], [9, 133], [9, 167]]);
  });

  it('recognises the publish command by its AMF0 name', () => {
    const name = [...'publish'].map((c) => c.charCodeAt(0));
    const payload = [0x02, 0, name.length, ...name, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
    const [message] = new RtmpChunkReader().push(new Uint8Array([...handshake, ...fmt0(3, 0, payload.length, MessageType.CommandAmf0), ...payload]));
    assert.ok(message);
    assert.equal(isCommand(message, 'publish'), true);
    assert.equal(isCommand(message, 'play'), false);
  });

  it('rejects a message length beyond the 8 MiB bound', () => {
    const bytes = [...handshake, 0x06, ...u24(0), 0xff, 0xff, 0xff, MessageType.Video, 1, 0, 0, 0];
    assert.throws(() => new RtmpChunkReader().push(new Uint8Array(bytes)), /exceeds/);
  });
});
