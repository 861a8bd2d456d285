import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Amf0Object } from '../../src/amf/amf0.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { MessageType, command, decodeMessage, encodeMessage, type Message } from '../../src/rtmp/messages.js';
import { RtmpSession, type SessionAction } from '../../src/rtmp/session.js';
import { loadCapture, type CaptureName } from '../helpers/captures.js';

const fixedRandom = (n: number) => new Uint8Array(n).fill(1);

/** Replays a capture the way the publisher sent it: byte by byte until publish, accepted at once, then the rest. */
function replay(name: CaptureName, decide: 'accept' | 'reject' = 'accept') {
  const bytes = loadCapture(name);
  const session = new RtmpSession({ app: 'live', random: fixedRandom });
  const actions: SessionAction[] = [];
  let at = 0;
  for (; at < bytes.length; at++) {
    const step = session.receive(bytes.subarray(at, at + 1));
    actions.push(...step);
    if (step.some((a) => a.type === 'authorize-publish')) {
      actions.push(...(decide === 'accept' ? session.acceptPublish() : session.rejectPublish('Unauthorized', 'no')));
      at++;
      break;
    }
  }
  actions.push(...session.receive(bytes.subarray(at)));
  return { session, actions };
}

/** Decodes what the session sent after S0S1S2. */
function sentMessages(actions: SessionAction[]): Message[] {
  const sent = Buffer.concat(actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : [])));
  return new ChunkReader().push(sent.subarray(3073)).map((raw) => decodeMessage(raw));
}

const commandNames = (messages: Message[]) =>
  messages.map((m) => {
    if (m.type !== MessageType.CommandAmf0) return MessageType[m.type as MessageType] ?? String(m.type);
    const info = m.args[0];
    return info instanceof Amf0Object ? `${m.name}:${info.getString('code')}` : m.name;
  });

describe('rtmp session', () => {
  it('takes an ffmpeg publish from handshake to media frames', () => {
    const { actions } = replay('ffmpeg-publish');
    const first = actions[0];
    assert.equal(first?.type === 'send' && first.bytes.length, 3073, 'S0+S1+S2');
    const connected = actions.find((a) => a.type === 'connected');
    assert.deepEqual(connected, { type: 'connected', info: { app: 'live', tcUrl: connected?.type === 'connected' ? connected.info.tcUrl : '', flashVer: 'FMLE/3.0 (compatible; Lavf59.27' } });
    const authorize = actions.find((a) => a.type === 'authorize-publish');
    assert.ok(authorize?.type === 'authorize-publish');
    assert.equal(authorize.request.name, 'capture');
    assert.equal(authorize.request.args, 'token=abc123');
    assert.equal(authorize.request.publishType, 'live');
    assert.match(authorize.request.tcUrl, /^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);

    const media = actions.flatMap((a) => (a.type === 'media' ? [a.message] : []));
    assert.deepEqual(media.slice(0, 3).map((m) => m.type), ['metadata', 'video-config', 'audio-config']);
    const video = media.flatMap((m) => (m.type === 'video' ? [m] : []));
    assert.equal(video.length, 10);
    assert.equal(video[0]?.keyframe, true);
    assert.ok(video.some((v) => v.compositionOffset > 0), 'B-frames carry composition offsets');
    assert.ok(media.filter((m) => m.type === 'audio').length >= 40);
    assert.equal(actions.filter((a) => a.type === 'publish-ended').length, 1, 'FCUnpublish/deleteStream end the publish once');
    assert.equal(actions.some((a) => a.type === 'close'), false);

    assert.deepEqual(commandNames(sentMessages(actions)).slice(0, 12), [
      'WindowAckSize',
      'SetPeerBandwidth',
      'UserControl',
      'SetChunkSize',
      '_result:NetConnection.Connect.Success',
      '_result',
      '_result',
      '_result',
      'UserControl',
      'onStatus:NetStream.Publish.Start',
      '_result',
      'onStatus:NetStream.Unpublish.Success',
    ]);
  });

  it('takes a GStreamer publish (plain handshake, onMetaData, AAC mono) to media frames', () => {
    const { actions } = replay('gstreamer-publish');
    const media = actions.flatMap((a) => (a.type === 'media' ? [a.message] : []));
    assert.ok(media.some((m) => m.type === 'video-config' && m.codec === 'h264'));
    assert.ok(media.some((m) => m.type === 'audio-config'));
    assert.equal(media.filter((m) => m.type === 'video').length, 10);
  });

  it('sends onStatus Unauthorized and closes when the publish is rejected, and emits no media', () => {
    const { actions, session } = replay('ffmpeg-publish', 'reject');
    assert.ok(commandNames(sentMessages(actions)).includes('onStatus:NetStream.Publish.Unauthorized'));
    assert.equal(actions.at(-1)?.type, 'close');
    assert.equal(actions.filter((a) => a.type === 'media').length, 0);
    assert.equal(session.isClosed, true);
    assert.deepEqual(session.receive(new Uint8Array(10)), []);
  });

  it('closes a session that sends its whole publish, media included, without waiting for Publish.Start', () => {
    const session = new RtmpSession({ app: 'live', random: fixedRandom });
    const actions = session.receive(loadCapture('ffmpeg-publish'));
    assert.equal(actions.filter((a) => a.type === 'media').length, 0);
    assert.equal(actions.at(-1)?.type, 'close');
    assert.equal(session.isClosed, true);
    assert.deepEqual(session.acceptPublish(), []);
  });

  function connectedSession(): { session: RtmpSession; writer: ChunkWriter; feed: (m: Message) => SessionAction[] } {
    const session = new RtmpSession({ app: 'live', random: fixedRandom });
    const c0c1 = new Uint8Array(1537);
    c0c1[0] = 3;
    session.receive(c0c1);
    session.receive(new Uint8Array(1536));
    const writer = new ChunkWriter();
    const feed = (m: Message) => session.receive(writer.write(encodeMessage(m)));
    return { session, writer, feed };
  }

  function publishingSession() {
    const { session, feed } = connectedSession();
    feed(command('connect', 1, Amf0Object.from({ app: 'live' }), []));
    feed(command('createStream', 2, null, []));
    const actions = feed(command('publish', 3, null, ['cam?k=v', 'live'], 1));
    assert.ok(actions.some((a) => a.type === 'authorize-publish'));
    session.acceptPublish();
    return { session, feed };
  }

  it('passes Enhanced RTMP HEVC (hvc1 sequence start, coded frames, frames-X) through as h265', () => {
    const { feed } = publishingSession();
    const video = (timestamp: number, hexBytes: string) => feed({ type: MessageType.Video, timestamp, streamId: 1, payload: Buffer.from(hexBytes, 'hex') });
    const media = [
      ...video(0, '9068766331' + '0101600000009000000000005df000fcfdf8f800000f03'),
      ...video(0, '9168766331' + '000021' + '0000000426010af0'),
      ...video(33, 'a368766331' + '00000003020150'),
    ].flatMap((a) => (a.type === 'media' ? [a.message] : []));
    assert.deepEqual(media.map((m) => (m.type === 'video' ? `video:${m.timestamp}:${m.compositionOffset}:${m.keyframe}` : `${m.type}:${'codec' in m ? m.codec : ''}`)), [
      'video-config:h265',
      'video:0:33:true',
      'video:33:0:false',
    ]);
  });

  it('unpacks Aggregate messages into their audio/video frames with rebased timestamps', () => {
    const { feed } = publishingSession();
    const payload = Buffer.from('08 000003 000064 00 000000 af01aa 0000000e 09 000006 000085 00 000000 2701000000bb 00000011'.replace(/ /g, ''), 'hex');
    const actions = feed({ type: 'unsupported', typeId: MessageType.Aggregate, timestamp: 1000, streamId: 1, payload });
    const media = actions.flatMap((a) => (a.type === 'media' ? [a.message] : []));
    assert.deepEqual(media.map((m) => `${m.type}:${'timestamp' in m ? m.timestamp : ''}`), ['audio:1000', 'video:1033']);
  });

  it('closes a session that sends a command before connect', () => {
    const { feed } = connectedSession();
    const actions = feed(command('publish', 1, null, ['x']));
    assert.deepEqual(actions, [{ type: 'close', reason: 'command "publish" before connect' }]);
  });

  it('acknowledges after the peer window size', () => {
    const { feed } = connectedSession();
    feed(command('connect', 1, Amf0Object.from({ app: 'live' }), []));
    feed({ type: MessageType.WindowAckSize, timestamp: 0, streamId: 0, windowSize: 100 });
    const actions = feed(command('FCPublish', 0, null, ['x'.repeat(200)]));
    const sent = actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.[7], MessageType.Acknowledgement);
  });

  it('rejects a publish on a stream id createStream did not return, and a second publish', () => {
    const { feed } = connectedSession();
    feed(command('connect', 1, Amf0Object.from({ app: 'live/' }), []));
    const actions = feed(command('publish', 0, null, ['key'], 5));
    assert.equal(actions.at(-1)?.type, 'close');
  });

  it('turns a malformed message into one close action carrying the ParseError code', () => {
    const { session } = connectedSession();
    const actions = session.receive(Buffer.from('03000000000001140000000011', 'hex'));
    assert.equal(actions.length, 1);
    assert.equal(actions[0]?.type, 'close');
    assert.match(actions[0]?.type === 'close' ? actions[0].reason : '', /^amf0-unsupported-type: /);
  });

  describe('before a publish is accepted', () => {
    const video = (streamId: number): Message => ({ type: MessageType.Video, timestamp: 0, streamId, payload: Buffer.from('1700000000', 'hex') });
    const cases: Array<{ name: string; before: 'connect' | 'createStream' | 'publish'; message: Message; reason: RegExp }> = [
      { name: 'video before connect', before: 'connect', message: video(0), reason: /^media-before-publish: message type 9/ },
      { name: 'audio after connect', before: 'createStream', message: { type: MessageType.Audio, timestamp: 0, streamId: 1, payload: Buffer.from('af01', 'hex') }, reason: /^media-before-publish: message type 8/ },
      { name: '@setDataFrame after createStream', before: 'publish', message: { type: MessageType.DataAmf0, timestamp: 0, streamId: 1, values: ['@setDataFrame', 'onMetaData'] }, reason: /^media-before-publish: message type 18/ },
      { name: 'an Aggregate message', before: 'publish', message: { type: 'unsupported', typeId: MessageType.Aggregate, timestamp: 0, streamId: 1, payload: new Uint8Array(11) }, reason: /^media-before-publish: message type 22/ },
      { name: 'video while on_publish decides', before: 'publish', message: video(1), reason: /^media-before-publish/ },
      { name: 'a 5000-byte command', before: 'createStream', message: command('FCPublish', 0, null, ['x'.repeat(5000)]), reason: /^message-too-large: message of 50\d\d bytes/ },
    ];
    for (const { name, before, message, reason } of cases) {
      it(`closes on ${name}`, () => {
        const { session, feed } = connectedSession();
        if (before !== 'connect') feed(command('connect', 1, Amf0Object.from({ app: 'live' }), []));
        if (before === 'publish') feed(command('createStream', 2, null, []));
        if (name.includes('on_publish')) assert.ok(feed(command('publish', 3, null, ['cam', 'live'], 1)).some((a) => a.type === 'authorize-publish'));
        const actions = feed(message);
        const close = actions.at(-1);
        assert.ok(close?.type === 'close', JSON.stringify(actions));
        assert.match(close.reason, reason);
        assert.equal(session.isAuthorized, false);
        assert.ok(session.bufferedBytes < 8192, `${session.bufferedBytes} bytes held`);
      });
    }

    it('raises the limits once the publish is accepted: a 100 kB keyframe passes', () => {
      const { session, feed } = publishingSession();
      assert.equal(session.isAuthorized, true);
      const keyframe = Buffer.concat([Buffer.from('1701000000', 'hex'), new Uint8Array(100_000)]);
      const actions = feed({ type: MessageType.Video, timestamp: 0, streamId: 1, payload: keyframe });
      assert.equal(actions.some((a) => a.type === 'close'), false, JSON.stringify(actions.map((a) => a.type)));
    });
  });
});
