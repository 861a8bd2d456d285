// The play side of the session, driven by the bytes ffmpeg sent as a player (fixtures/ffmpeg-play.bin).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Amf0Object, type Amf0Value } from '../../src/amf/amf0.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { MessageType, UserControlEvent, decodeMessage, type Message } from '../../src/rtmp/messages.js';
import { RtmpSession, type SessionAction } from '../../src/rtmp/session.js';
import { loadCapture } from '../helpers/captures.js';
import { ScriptedSession } from './helpers/scripted-session.js';

const fixedRandom = (n: number) => new Uint8Array(n).fill(1);

function replayPlay(decide: (session: RtmpSession) => SessionAction[]) {
  const bytes = loadCapture('ffmpeg-play');
  const session = new RtmpSession({ app: 'live', random: fixedRandom });
  const actions: SessionAction[] = [];
  let at = 0;
  for (; at < bytes.length; at++) {
    const step = session.receive(bytes.subarray(at, at + 1));
    actions.push(...step);
    if (step.some((a) => a.type === 'authorize-play')) {
      actions.push(...decide(session));
      at++;
      break;
    }
  }
  actions.push(...session.receive(bytes.subarray(at)));
  return { session, actions };
}

function sent(actions: SessionAction[]): Message[] {
  const bytes = Buffer.concat(actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : [])));
  return new ChunkReader().push(bytes.subarray(3073)).map((raw) => decodeMessage(raw));
}

const describeMessage = (m: Message): string => {
  if (m.type === MessageType.CommandAmf0) {
    const info = m.args[0];
    return info instanceof Amf0Object ? `${m.name}:${info.getString('code')}` : m.name;
  }
  if (m.type === MessageType.UserControl) return `UserControl:${UserControlEvent[m.event]}`;
  if (m.type === MessageType.DataAmf0) return `Data:${String(m.values[0])}`;
  return MessageType[m.type as MessageType] ?? String(m.type);
};

describe('rtmp session: play', () => {
  it('turns ffmpeg\'s play into an authorize-play with nginx-rtmp\'s fields', () => {
    const { actions } = replayPlay((s) => s.acceptPlay());
    const authorize = actions.find((a) => a.type === 'authorize-play');
    assert.ok(authorize?.type === 'authorize-play');
    assert.deepEqual(
      { name: authorize.request.name, args: authorize.request.args, start: authorize.request.start, duration: authorize.request.duration, reset: authorize.request.reset, flashVer: authorize.request.flashVer },
      { name: 'capture', args: 'token=abc123', start: 4294965296, duration: 0, reset: false, flashVer: 'LNX 9,0,124,2' },
    );
  });

  it('accepts: StreamBegin, Play.Reset, Play.Start, |RtmpSampleAccess; deleteStream ends the play once', () => {
    const { session, actions } = replayPlay((s) => s.acceptPlay());
    assert.deepEqual(sent(actions).map(describeMessage), [
      'WindowAckSize',
      'SetPeerBandwidth',
      'UserControl:StreamBegin',
      'SetChunkSize',
      '_result:NetConnection.Connect.Success',
      '_result',
      '_result',
      'UserControl:StreamBegin',
      'onStatus:NetStream.Play.Reset',
      'onStatus:NetStream.Play.Start',
      'Data:|RtmpSampleAccess',
    ]);
    assert.equal(actions.filter((a) => a.type === 'play-ended').length, 1);
    assert.equal(actions.some((a) => a.type === 'close'), false);
    assert.equal(session.isPlaying, false);
    assert.equal(session.isAuthorized, false, 'a player keeps the pre-auth reader limits');
  });

  it('refuses: Play.StreamNotFound then close, and nothing after', () => {
    const { actions } = replayPlay((s) => s.rejectPlay('StreamNotFound', 'no such live stream'));
    assert.deepEqual(sent(actions).map(describeMessage).slice(-1), ['onStatus:NetStream.Play.StreamNotFound']);
    assert.equal(actions.filter((a) => a.type === 'close').length, 1);
    assert.equal(actions.some((a) => a.type === 'play-ended'), false);
  });

  it('ends a playing session with StreamEOF and Play.UnpublishNotify, then close', () => {
    const bytes = loadCapture('ffmpeg-play');
    const session = new RtmpSession({ app: 'live', random: fixedRandom });
    const actions: SessionAction[] = [];
    // Everything up to (not including) deleteStream: the last 33 bytes of the capture.
    for (let at = 0; at < bytes.length - 33; at++) {
      const step = session.receive(bytes.subarray(at, at + 1));
      actions.push(...step);
      if (step.some((a) => a.type === 'authorize-play')) actions.push(...session.acceptPlay());
    }
    assert.equal(session.isPlaying, true);
    const ended = session.endPlayback('stream unpublished');
    assert.deepEqual(sent([...actions, ...ended]).map(describeMessage).slice(-2), ['UserControl:StreamEof', 'onStatus:NetStream.Play.UnpublishNotify']);
    assert.deepEqual(ended.at(-1), { type: 'close', reason: 'stream unpublished' });
  });

  const table: Array<{ name: string; play: Amf0Value[]; expect: string }> = [
    { name: 'no name', play: [], expect: 'NetStream.Play.StreamNotFound' },
    { name: 'path traversal', play: ['../x'], expect: 'NetStream.Play.StreamNotFound' },
    { name: 'dot', play: ['..'], expect: 'NetStream.Play.StreamNotFound' },
    { name: 'too long args', play: [`a?${'x'.repeat(3000)}`], expect: 'NetStream.Play.Failed' },
  ];
  for (const { name, play, expect } of table) {
    it(`refuses a play with ${name} before asking anyone`, () => {
      const result = new ScriptedSession().play(play);
      assert.equal(result.authorize, false);
      assert.ok(result.codes.includes(`onStatus:${expect}`), result.codes.join(','));
      assert.equal(result.closed, true);
    });
  }
});
