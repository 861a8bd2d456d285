// Decode throughput of the ingest parsers (not a test: a measurement to run by hand).
//   node --import tsx media-server/test/rtmp/parse-throughput.ts
// Builds ~200 MB of realistic publish traffic (the real ffmpeg capture's connect/publish prelude,
// then 720p-like H.264 frames of 2-60 KB and AAC frames at 4096-byte chunks), then times
// (1) ChunkReader alone and (2) the whole RtmpSession (chunks -> messages -> FLV tags -> media),
// fed in 64 KB socket-sized pieces.
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { RtmpSession } from '../../src/rtmp/session.js';
import { loadCapture } from '../helpers/captures.js';

const capture = loadCapture('ffmpeg-publish');
// The prelude up to and including publish: everything before the @setDataFrame message (whose
// 12-byte type 0 chunk header and AMF0 string marker + length precede the name).
const prelude = capture.subarray(0, capture.indexOf(Buffer.from('@setDataFrame')) - 12 - 1 - 2);

const writer = new ChunkWriter();
writer.setChunkSize(4096);
const parts: Uint8Array[] = [];
let size = 0;
let ts = 0;
for (let frame = 0; size < 200e6; frame++) {
  const key = frame % 60 === 0;
  const video = new Uint8Array(5 + (key ? 60_000 : 2_000 + ((frame * 7919) % 8_000)));
  video[0] = key ? 0x17 : 0x27;
  video[1] = 1;
  const v = writer.write({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: ts, payload: video });
  const audio = new Uint8Array(2 + 370);
  audio[0] = 0xaf;
  audio[1] = 1;
  const a = writer.write({ chunkStreamId: 4, typeId: 8, streamId: 1, timestamp: ts, payload: audio });
  parts.push(v, a);
  size += v.length + a.length;
  ts += 33;
}
const media = Buffer.concat(parts);
const piece = 64 * 1024;

function time(label: string, run: () => number): void {
  const start = process.hrtime.bigint();
  const count = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const mbps = media.length / 1e6 / seconds;
  // A 2.5 Mbit/s publisher sends 0.3125 MB/s: the share of one core one such stream costs.
  console.log(`${label}: ${(media.length / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s = ${mbps.toFixed(0)} MB/s (${count} messages); ` +
    `one 2.5 Mbit/s stream = ${((0.3125 / mbps) * 100).toFixed(3)} % of a core`);
}

for (let round = 0; round < 2; round++) {
  time('ChunkReader', () => {
    const reader = new ChunkReader();
    // SetChunkSize 4096 first, as the publisher's prelude does.
    reader.push(Buffer.from('02000000000004010000000000001000', 'hex'));
    let n = 0;
    for (let at = 0; at < media.length; at += piece) n += reader.push(media.subarray(at, at + piece)).length;
    return n;
  });
  time('RtmpSession (handshake..publish, then media)', () => {
    const session = new RtmpSession({ app: 'live' });
    for (const action of session.receive(prelude)) if (action.type === 'authorize-publish') session.acceptPublish();
    let n = 0;
    for (let at = 0; at < media.length; at += piece) {
      for (const action of session.receive(media.subarray(at, at + piece))) if (action.type === 'media') n++;
    }
    if (session.isClosed) throw new Error('session closed during the benchmark');
    return n;
  });
}
