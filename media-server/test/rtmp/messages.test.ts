import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Amf0Object } from '../../src/amf/amf0.js';
import { MessageType, PeerBandwidthLimit, UserControlEvent, decodeMessage, encodeMessage, type Message } from '../../src/rtmp/messages.js';
import { ParseError } from '../../src/bytes/parse-error.js';
import { assertBytes, hex } from '../helpers/captures.js';

const base = { timestamp: 0, streamId: 0 };
// {typeId, payload} from the captures where one exists (ffmpeg's SetChunkSize 4096, GStreamer's
// WindowAckSize 2500000, ffmpeg's createStream); the rest follow the spec's layouts.
const cases: Array<{ name: string; typeId: number; bytes: Uint8Array; value: Message }> = [
  { name: 'SetChunkSize 4096 (ffmpeg)', typeId: 1, bytes: hex('00001000'), value: { ...base, type: MessageType.SetChunkSize, chunkSize: 4096 } },
  { name: 'Abort csid 6', typeId: 2, bytes: hex('00000006'), value: { ...base, type: MessageType.Abort, chunkStreamId: 6 } },
  { name: 'Acknowledgement', typeId: 3, bytes: hex('0026a5c0'), value: { ...base, type: MessageType.Acknowledgement, sequenceNumber: 2532800 } },
  { name: 'WindowAckSize 2500000 (GStreamer)', typeId: 5, bytes: hex('002625a0'), value: { ...base, type: MessageType.WindowAckSize, windowSize: 2_500_000 } },
  {
    name: 'SetPeerBandwidth dynamic',
    typeId: 6,
    bytes: hex('002625a0 02'),
    value: { ...base, type: MessageType.SetPeerBandwidth, windowSize: 2_500_000, limit: PeerBandwidthLimit.Dynamic },
  },
  {
    name: 'UserControl StreamBegin 1',
    typeId: 4,
    bytes: hex('0000 00000001'),
    value: { ...base, type: MessageType.UserControl, event: UserControlEvent.StreamBegin, value: 1 },
  },
  {
    name: 'UserControl PingRequest',
    typeId: 4,
    bytes: hex('0006 0001e240'),
    value: { ...base, type: MessageType.UserControl, event: UserControlEvent.PingRequest, value: 123456 },
  },
  {
    name: 'UserControl SetBufferLength',
    typeId: 4,
    bytes: hex('0003 00000001 00000bb8'),
    value: { ...base, type: MessageType.UserControl, event: UserControlEvent.SetBufferLength, value: 1, bufferLength: 3000 },
  },
  {
    name: 'createStream (ffmpeg)',
    typeId: 20,
    bytes: hex('02000c63726561746553747265616d00401000000000000005'),
    value: { ...base, type: MessageType.CommandAmf0, name: 'createStream', transactionId: 4, commandObject: null, args: [] },
  },
  {
    name: '_result with an object',
    typeId: 20,
    bytes: hex('0200075f726573756c74003ff0000000000000030006666d7356657202000446 4d532f0000 09 05'),
    value: { ...base, type: MessageType.CommandAmf0, name: '_result', transactionId: 1, commandObject: Amf0Object.from({ fmsVer: 'FMS/' }), args: [null] },
  },
  { name: 'audio', typeId: 8, bytes: hex('af00120856e500'), value: { ...base, type: MessageType.Audio, payload: hex('af00120856e500') } },
];

describe('messages', () => {
  for (const { name, typeId, bytes, value } of cases) {
    it(`decodes ${name}`, () => {
      assert.deepEqual(decodeMessage({ chunkStreamId: 3, typeId, streamId: 0, timestamp: 0, payload: bytes }), value);
    });
    it(`encodes ${name}`, () => {
      const raw = encodeMessage(value);
      assert.equal(raw.typeId, typeId);
      assertBytes(raw.payload, bytes);
    });
  }

  it('puts protocol control messages on chunk stream 2', () => {
    assert.equal(encodeMessage(cases[0]!.value).chunkStreamId, 2);
  });

  it('decodes an AMF3 command (one format byte, then AMF0)', () => {
    const message = decodeMessage({ chunkStreamId: 3, typeId: MessageType.CommandAmf3, streamId: 0, timestamp: 0, payload: hex('00 02000c63726561746553747265616d00401000000000000005') });
    assert.equal(message.type, MessageType.CommandAmf0);
    assert.equal(message.type === MessageType.CommandAmf0 && message.name, 'createStream');
  });

  it('keeps unknown message types as unsupported instead of failing', () => {
    const message = decodeMessage({ chunkStreamId: 3, typeId: 22, streamId: 1, timestamp: 5, payload: hex('00') });
    assert.equal(message.type, 'unsupported');
  });

  for (const [name, typeId, bytes] of [
    ['short SetChunkSize', 1, hex('0010')],
    ['short UserControl', 4, hex('0006 00')],
    ['short SetPeerBandwidth', 6, hex('00000001')],
    ['command without a name', 20, hex('003ff0000000000000')],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.throws(() => decodeMessage({ chunkStreamId: 2, typeId, streamId: 0, timestamp: 0, payload: bytes }), ParseError);
    });
  }
});
