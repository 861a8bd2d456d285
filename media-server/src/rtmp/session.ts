// One RTMP publisher connection as a sans-I/O state machine. Bytes go in through `receive`,
// decisions come back as Actions (send these bytes, authorize this publish, emit this media
// frame, close). The server module owns the socket, the timers and the hooks; nothing here
// waits, logs or touches the network, so every exchange is testable with plain byte arrays.
//
// Command flow of a publisher (FMLE/OBS/ffmpeg/GStreamer), with our replies:
//   connect            -> WindowAckSize, SetPeerBandwidth, StreamBegin, SetChunkSize, _result Connect.Success
//   releaseStream, FCPublish -> _result
//   createStream       -> _result(stream id)
//   publish(name?args) -> [authorize-publish action; the server asks on_publish]
//                         then StreamBegin + onStatus Publish.Start, or onStatus BadName/Unauthorized + close
//   @setDataFrame, audio, video -> media actions
//   FCUnpublish, deleteStream, closeStream -> publish-ended action (+ _result / onStatus Unpublish.Success)
//
// Command flow of a player (ffmpeg/ffplay, VLC, OBS Media Source):
//   connect, createStream, [getStreamLength, FCSubscribe] -> as above
//   play(name?args)    -> [authorize-play action; the server checks the stream is live, asks on_play]
//                         then StreamBegin + onStatus Play.Reset/Play.Start + |RtmpSampleAccess,
//                         or onStatus Play.StreamNotFound/Play.Failed + close
//   deleteStream, closeStream -> play-ended action
// A connection publishes or plays, never both. Players stay on the small pre-auth reader limits:
// they only ever send a few small control messages.
//
// Until a publish is accepted the peer is a stranger: the chunk reader runs with the small
// pre-auth limits (a few KiB of commands on a few chunk streams), and audio, video, data or an
// Aggregate closes the session. acceptPublish raises the limits for the rest of the connection.
import type { MediaMessage } from '../media/types.js';
import { SoundFormat, audioTagToMedia, decodeAudioTag } from '../flv/audio-tag.js';
import { fromValues, scriptDataToMetadata } from '../flv/script-data.js';
import { FlvTagType, decodeFlvTags } from '../flv/tag.js';
import { decodeVideoTag, videoTagToMedia } from '../flv/video-tag.js';
import { Amf0Object, decodeAmf0, defaultAmf0Limits, type Amf0Limits } from '../amf/amf0.js';
import { ChunkReader, defaultChunkReaderLimits, defaultPreAuthChunkReaderLimits, type ChunkReaderLimits } from './chunk-reader.js';
import { ChunkWriter } from './chunk-writer.js';
import { ServerHandshake } from './handshake.js';
import {
  MessageType,
  PeerBandwidthLimit,
  UserControlEvent,
  command,
  decodeMessage,
  encodeMessage,
  statusObject,
  type Message,
  type MessageOf,
} from './messages.js';
import { ParseError } from '../bytes/parse-error.js';

export interface PublishRequest {
  readonly app: string;
  /** The stream name before '?'. */
  readonly name: string;
  /** The raw query string after '?' (no '?'), appended verbatim to the on_publish form as nginx-rtmp does. */
  readonly args: string;
  /** 'live' | 'record' | 'append' as the client sent it (nginx-rtmp reports it as `type`). */
  readonly publishType: string;
  readonly tcUrl: string;
  readonly flashVer: string;
  readonly swfUrl: string;
  readonly pageUrl: string;
}

export interface PlayRequest {
  readonly app: string;
  /** The stream name before '?': a public name (the channel slug). */
  readonly name: string;
  /** The raw query string after '?' (no '?'), appended to the on_play form as nginx-rtmp does. */
  readonly args: string;
  /** The requested start in ms as nginx-rtmp reports it (uint32: ffmpeg's live -2000 becomes 4294965296). */
  readonly start: number;
  readonly duration: number;
  readonly reset: boolean;
  readonly tcUrl: string;
  readonly flashVer: string;
  readonly swfUrl: string;
  readonly pageUrl: string;
}

export interface ConnectInfo {
  readonly app: string;
  readonly tcUrl: string;
  readonly flashVer: string;
}

export type SessionAction =
  | { readonly type: 'send'; readonly bytes: Uint8Array }
  | { readonly type: 'connected'; readonly info: ConnectInfo }
  | { readonly type: 'authorize-publish'; readonly request: PublishRequest }
  | { readonly type: 'authorize-play'; readonly request: PlayRequest }
  /** The player ended its play (deleteStream/closeStream); the connection may stay. */
  | { readonly type: 'play-ended' }
  | { readonly type: 'media'; readonly message: MediaMessage }
  /** The client ended its publish (FCUnpublish/deleteStream/closeStream); the connection may stay. */
  | { readonly type: 'publish-ended' }
  /** Something worth a log line that does not end the session (unknown command, unsupported codec). */
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'close'; readonly reason: string };

export type PublishRejection = 'BadName' | 'Unauthorized';
/** StreamNotFound: nothing is published under that name; Failed: on_play refused. */
export type PlayRejection = 'StreamNotFound' | 'Failed';

/** The chunk size a session announces in connect unless told otherwise: what OBS and ffmpeg use. */
export const defaultOutgoingChunkSize = 4096;

export interface SessionOptions {
  /** The only application name accepted in `connect` (e.g. 'live'). */
  readonly app: string;
  /** Chunk reader limits once a publish is accepted. */
  readonly chunkReaderLimits?: ChunkReaderLimits;
  /** Chunk reader limits from the first byte until a publish is accepted (small commands only). */
  readonly preAuthChunkReaderLimits?: ChunkReaderLimits;
  readonly amf0Limits?: Amf0Limits;
  /** Chunk size we announce and send with. Default 4096, what OBS and ffmpeg use. */
  readonly outgoingChunkSize?: number;
  /** Window acknowledgement size and peer bandwidth we announce. Default 2,500,000 (FMS and nginx-rtmp use 5,000,000/2,500,000). */
  readonly windowAckSize?: number;
  readonly random?: (n: number) => Uint8Array;
}

/** Stream names end up in HLS paths and log lines: printable, no path separators, bounded. */
const streamNamePattern = /^[A-Za-z0-9_.~-]{1,128}$/;
const maxArgsLength = 2048;
const maxMessageStreams = 8;

type Phase = 'handshake' | 'connect' | 'connected' | 'closed';
type PublishState =
  | { readonly state: 'idle' }
  | { readonly state: 'authorizing'; readonly streamId: number; readonly request: PublishRequest }
  | { readonly state: 'publishing'; readonly streamId: number; readonly request: PublishRequest };
type PlayState =
  | { readonly state: 'idle' }
  | { readonly state: 'authorizing' | 'playing'; readonly streamId: number; readonly request: PlayRequest };

export class RtmpSession {
  private readonly handshake: ServerHandshake;
  private readonly reader: ChunkReader;
  private readonly writer = new ChunkWriter();
  private readonly amf0Limits: Amf0Limits;
  private phase: Phase = 'handshake';
  private publish: PublishState = { state: 'idle' };
  private play: PlayState = { state: 'idle' };
  private connectInfo: (ConnectInfo & { swfUrl: string; pageUrl: string }) | null = null;
  private readonly streams = new Set<number>();
  private nextStreamId = 1;
  private peerWindowAckSize = 0;
  private lastAckAt = 0;
  private readonly noticed = new Set<string>();
  /** Set when a publish is first accepted; until then only small commands are read and media closes. */
  private authorized = false;

  constructor(private readonly options: SessionOptions) {
    this.handshake = new ServerHandshake(options.random);
    this.reader = new ChunkReader(options.preAuthChunkReaderLimits ?? defaultPreAuthChunkReaderLimits);
    this.amf0Limits = options.amf0Limits ?? defaultAmf0Limits;
  }

  get isPublishing(): boolean {
    return this.publish.state === 'publishing';
  }

  get isPlaying(): boolean {
    return this.play.state === 'playing';
  }

  /** Whether an `authorize-play` is still waiting for its answer. */
  get awaitingPlayAuthorization(): boolean {
    return this.play.state === 'authorizing' && this.phase !== 'closed';
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  get bytesReceived(): number {
    return this.reader.bytesReceived;
  }

  /** Whether a publish was accepted on this connection (the raised limits apply). */
  get isAuthorized(): boolean {
    return this.authorized;
  }

  /** Input bytes this session holds: partial handshake, partial chunk header, messages in progress. */
  get bufferedBytes(): number {
    return this.handshake.bufferedBytes + this.reader.bufferedBytes;
  }

  /** Feeds received bytes. A ParseError becomes a single `close` action with its code and message. */
  receive(bytes: Uint8Array): SessionAction[] {
    if (this.phase === 'closed') return [];
    const actions: SessionAction[] = [];
    try {
      let chunkBytes = bytes;
      if (this.phase === 'handshake') {
        const step = this.handshake.push(bytes);
        if (step.send) actions.push({ type: 'send', bytes: step.send });
        if (!step.done) return actions;
        this.phase = 'connect';
        chunkBytes = step.rest;
      }
      if (chunkBytes.length === 0) return actions;
      for (const raw of this.reader.push(chunkBytes)) {
        this.handle(decodeMessage(raw, this.amf0Limits), actions);
        if (this.isClosed) return actions;
      }
      this.maybeAcknowledge(actions);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      actions.push(this.closeWith(`${error.code}: ${error.message}`));
    }
    return actions;
  }

  /** The server's answer to an `authorize-publish` action. Returns nothing if the publish was withdrawn meanwhile. */
  acceptPublish(): SessionAction[] {
    if (this.publish.state !== 'authorizing' || this.phase === 'closed') return [];
    const { streamId, request } = this.publish;
    this.publish = { state: 'publishing', streamId, request };
    if (!this.authorized) {
      this.authorized = true;
      this.reader.setLimits(this.options.chunkReaderLimits ?? defaultChunkReaderLimits);
    }
    return [
      this.send(
        { type: MessageType.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.StreamBegin, value: streamId },
        this.onStatus(streamId, 'status', 'NetStream.Publish.Start', `${request.name} is now published.`),
      ),
    ];
  }

  /** Rejects the pending publish: onStatus error, then close ("fail closed"). */
  rejectPublish(code: PublishRejection, description: string): SessionAction[] {
    if (this.phase === 'closed') return [];
    const streamId = this.publish.state === 'idle' ? 0 : this.publish.streamId;
    this.publish = { state: 'idle' };
    return this.rejectPublishOn(streamId, code, description);
  }

  /**
   * The server's answer to an `authorize-play`: the status messages a player waits for. The
   * media follows on stream 1 (play-packets.ts). Returns nothing if the play was withdrawn.
   */
  acceptPlay(): SessionAction[] {
    if (this.play.state !== 'authorizing' || this.phase === 'closed') return [];
    const { streamId, request } = this.play;
    this.play = { state: 'playing', streamId, request };
    return [
      this.send(
        { type: MessageType.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.StreamBegin, value: streamId },
        this.onStatus(streamId, 'status', 'NetStream.Play.Reset', `Playing and resetting ${request.name}.`),
        this.onStatus(streamId, 'status', 'NetStream.Play.Start', `Started playing ${request.name}.`),
        { type: MessageType.DataAmf0, timestamp: 0, streamId, values: ['|RtmpSampleAccess', true, true] },
      ),
    ];
  }

  /** Refuses the pending play: onStatus error, then close. */
  rejectPlay(code: PlayRejection, description: string): SessionAction[] {
    if (this.phase === 'closed') return [];
    const streamId = this.play.state === 'idle' ? 0 : this.play.streamId;
    this.play = { state: 'idle' };
    return [this.send(this.onStatus(streamId, 'error', `NetStream.Play.${code}`, description)), this.closeWith(`play refused: ${code} (${description})`)];
  }

  /** The stream being played ended: StreamEOF and Play.UnpublishNotify, then close (players do not wait for a next publish). */
  endPlayback(reason: string): SessionAction[] {
    if (this.phase === 'closed' || this.play.state === 'idle') return [];
    const { streamId, request } = this.play;
    this.play = { state: 'idle' };
    return [
      this.send(
        { type: MessageType.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.StreamEof, value: streamId },
        this.onStatus(streamId, 'status', 'NetStream.Play.UnpublishNotify', `${request.name} is now unpublished.`),
      ),
      this.closeWith(reason),
    ];
  }

  /** Whether an `authorize-publish` is still waiting for its answer. */
  get awaitingAuthorization(): boolean {
    return this.publish.state === 'authorizing' && this.phase !== 'closed';
  }

  private closeWith(reason: string): SessionAction {
    this.phase = 'closed';
    return { type: 'close', reason };
  }

  private send(...messages: Message[]): SessionAction {
    const parts = messages.map((m) => {
      const bytes = this.writer.write(encodeMessage(m));
      if (m.type === MessageType.SetChunkSize) this.writer.setChunkSize(m.chunkSize);
      return bytes;
    });
    return { type: 'send', bytes: parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts) };
  }

  private onStatus(streamId: number, level: 'status' | 'error', code: string, description: string): Message {
    return command('onStatus', 0, null, [statusObject(level, code, description)], streamId);
  }

  private notice(actions: SessionAction[], key: string, message: string): void {
    if (this.noticed.has(key) || this.noticed.size > 32) return;
    this.noticed.add(key);
    actions.push({ type: 'notice', message });
  }

  private maybeAcknowledge(actions: SessionAction[]): void {
    // "The client or the server MUST send an acknowledgment to the peer after receiving bytes
    // equal to the window size" (5.4.3); the sequence number is the byte count so far, mod 2^32.
    if (this.peerWindowAckSize <= 0) return;
    const received = this.reader.bytesReceived;
    if (received - this.lastAckAt < this.peerWindowAckSize) return;
    this.lastAckAt = received;
    actions.push(this.send({ type: MessageType.Acknowledgement, timestamp: 0, streamId: 0, sequenceNumber: received % 2 ** 32 }));
  }

  private handle(message: Message, actions: SessionAction[]): void {
    if (!this.authorized && carriesMedia(message)) {
      // Encoders wait for NetStream.Publish.Start before sending media; anything else is a peer
      // trying to make us hold data for a publish nobody accepted.
      actions.push(this.closeWith(`media-before-publish: message type ${message.type === 'unsupported' ? message.typeId : message.type} before a publish was accepted`));
      return;
    }
    switch (message.type) {
      case MessageType.SetChunkSize:
      case MessageType.Abort:
        return; // applied by the chunk reader as the message completed
      case MessageType.Acknowledgement:
      case MessageType.SetPeerBandwidth:
        return; // we send too little for the peer's window to matter
      case MessageType.WindowAckSize:
        this.peerWindowAckSize = message.windowSize;
        return;
      case MessageType.UserControl:
        if (message.event === UserControlEvent.PingRequest) {
          actions.push(this.send({ type: MessageType.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.PingResponse, value: message.value }));
        }
        return;
      case MessageType.CommandAmf0:
        return this.handleCommand(message, actions);
      case MessageType.DataAmf0:
        return this.handleData(message, actions);
      case MessageType.Audio:
      case MessageType.Video:
        return this.handleMedia(message, actions);
      case 'unsupported':
        if (message.typeId === MessageType.Aggregate) return this.handleAggregate(message, actions);
        this.notice(actions, `type-${message.typeId}`, `ignoring RTMP message type ${message.typeId}`);
        return;
    }
  }

  private handleCommand(message: MessageOf<MessageType.CommandAmf0>, actions: SessionAction[]): void {
    const { name, transactionId } = message;
    if (this.phase === 'connect' && name !== 'connect') {
      actions.push(this.closeWith(`command ${JSON.stringify(name.slice(0, 64))} before connect`));
      return;
    }
    switch (name) {
      case 'connect':
        return this.handleConnect(message, actions);
      case 'releaseStream':
      case 'FCPublish':
      case 'FCSubscribe':
      case 'getStreamLength':
        if (transactionId > 0) actions.push(this.send(command('_result', transactionId, null, [undefined])));
        return;
      case 'createStream': {
        if (this.streams.size >= maxMessageStreams) {
          actions.push(this.send(command('_error', transactionId, null, [statusObject('error', 'NetConnection.Call.Failed', 'too many streams')])));
          return;
        }
        const id = this.nextStreamId++;
        this.streams.add(id);
        actions.push(this.send(command('_result', transactionId, null, [id])));
        return;
      }
      case 'publish':
        return this.handlePublish(message, actions);
      case 'play':
        return this.handlePlay(message, actions);
      case 'receiveAudio':
      case 'receiveVideo':
        return; // players may send these (transaction 0, no answer expected); every player gets both
      case 'FCUnpublish':
        if (transactionId > 0) actions.push(this.send(command('_result', transactionId, null, [undefined])));
        this.endPublish(actions, this.publish.state === 'idle' ? 0 : this.publish.streamId);
        return;
      case 'deleteStream':
      case 'closeStream': {
        // deleteStream names the stream in its first argument; closeStream is sent on the stream itself.
        const target = name === 'deleteStream' ? message.args[0] : message.streamId;
        const streamId = typeof target === 'number' ? target : message.streamId;
        if (this.publish.state !== 'idle' && this.publish.streamId === streamId) this.endPublish(actions, streamId);
        if (this.play.state !== 'idle' && this.play.streamId === streamId) {
          this.play = { state: 'idle' };
          actions.push({ type: 'play-ended' });
        }
        if (name === 'deleteStream') this.streams.delete(streamId);
        return;
      }
      default:
        this.notice(actions, `cmd-${name}`, `unknown command ${JSON.stringify(name.slice(0, 64))} answered with _error`);
        actions.push(this.send(command('_error', transactionId, null, [statusObject('error', 'NetConnection.Call.Failed', `unknown command ${name.slice(0, 64)}`)])));
    }
  }

  private handleConnect(message: MessageOf<MessageType.CommandAmf0>, actions: SessionAction[]): void {
    if (this.phase !== 'connect') {
      actions.push(this.closeWith('second connect on one connection'));
      return;
    }
    const props = message.commandObject instanceof Amf0Object ? message.commandObject : new Amf0Object();
    // Field lengths as nginx-rtmp keeps them (app[128], flashver[32], urls[256], NUL included), so
    // the on_publish form carries the same values the web app saw from nginx.
    const rawApp = (props.getString('app') ?? '').slice(0, 127);
    // Clients may send "live/" or "live?key" as the app; nginx-rtmp strips both.
    const app = rawApp.split('?')[0]?.replace(/\/+$/, '') ?? '';
    const info = {
      app,
      tcUrl: (props.getString('tcUrl') ?? '').slice(0, 255),
      flashVer: (props.getString('flashVer') ?? props.getString('flashver') ?? '').slice(0, 31),
      swfUrl: (props.getString('swfUrl') ?? '').slice(0, 255),
      pageUrl: (props.getString('pageUrl') ?? '').slice(0, 255),
    };
    if (app !== this.options.app) {
      actions.push(
        this.send(command('_error', message.transactionId, null, [statusObject('error', 'NetConnection.Connect.Rejected', `unknown application ${JSON.stringify(app)}`)])),
        this.closeWith(`connect to unknown application ${JSON.stringify(app)}`),
      );
      return;
    }
    this.phase = 'connected';
    this.connectInfo = info;
    const windowSize = this.options.windowAckSize ?? 2_500_000;
    const chunkSize = this.options.outgoingChunkSize ?? defaultOutgoingChunkSize;
    const objectEncoding = props.getNumber('objectEncoding') ?? 0;
    actions.push({ type: 'connected', info: { app: info.app, tcUrl: info.tcUrl, flashVer: info.flashVer } });
    actions.push(
      this.send(
        { type: MessageType.WindowAckSize, timestamp: 0, streamId: 0, windowSize },
        { type: MessageType.SetPeerBandwidth, timestamp: 0, streamId: 0, windowSize, limit: PeerBandwidthLimit.Dynamic },
        { type: MessageType.UserControl, timestamp: 0, streamId: 0, event: UserControlEvent.StreamBegin, value: 0 },
        { type: MessageType.SetChunkSize, timestamp: 0, streamId: 0, chunkSize },
        command('_result', message.transactionId, Amf0Object.from({ fmsVer: 'FMS/3,0,1,123', capabilities: 31 }), [
          statusObject('status', 'NetConnection.Connect.Success', 'Connection succeeded.', { objectEncoding }),
        ]),
      ),
    );
  }

  private handlePublish(message: MessageOf<MessageType.CommandAmf0>, actions: SessionAction[]): void {
    const info = this.connectInfo;
    if (!info) return;
    const streamId = message.streamId;
    const reject = (description: string) => {
      actions.push(...this.rejectPublishOn(streamId, 'BadName', description));
    };
    if (this.publish.state !== 'idle') return reject('this connection is already publishing');
    if (this.play.state !== 'idle') return reject('this connection is playing');
    if (!this.streams.has(streamId)) return reject(`publish on stream ${streamId}, which createStream did not return`);
    const full = message.args[0];
    if (typeof full !== 'string') return reject('publish without a stream name');
    const question = full.indexOf('?');
    const name = question < 0 ? full : full.slice(0, question);
    const args = question < 0 ? '' : full.slice(question + 1);
    if (!streamNamePattern.test(name) || name === '.' || name === '..') return reject('invalid stream name');
    if (args.length > maxArgsLength) return reject('publish arguments too long');
    const publishType = typeof message.args[1] === 'string' ? message.args[1].slice(0, 16) : 'live';
    const request: PublishRequest = { app: info.app, name, args, publishType, tcUrl: info.tcUrl, flashVer: info.flashVer, swfUrl: info.swfUrl, pageUrl: info.pageUrl };
    this.publish = { state: 'authorizing', streamId, request };
    actions.push({ type: 'authorize-publish', request });
  }

  private handlePlay(message: MessageOf<MessageType.CommandAmf0>, actions: SessionAction[]): void {
    const info = this.connectInfo;
    if (!info) return;
    const streamId = message.streamId;
    const reject = (code: PlayRejection, description: string) => {
      this.play = { state: 'idle' };
      actions.push(this.send(this.onStatus(streamId, 'error', `NetStream.Play.${code}`, description)), this.closeWith(`play refused: ${code} (${description})`));
    };
    if (this.publish.state !== 'idle') return reject('Failed', 'this connection is publishing');
    if (this.play.state !== 'idle') return reject('Failed', 'this connection is already playing');
    if (!this.streams.has(streamId)) return reject('Failed', `play on stream ${streamId}, which createStream did not return`);
    // play(commandObject null, streamName, [start], [duration], [reset]); an absent one is 0, as
    // nginx-rtmp reports it (fixtures/nginx-rtmp-play-callbacks.txt: ffmpeg sends no duration).
    const full = message.args[0];
    if (typeof full !== 'string') return reject('StreamNotFound', 'play without a stream name');
    const question = full.indexOf('?');
    const name = question < 0 ? full : full.slice(0, question);
    const args = question < 0 ? '' : full.slice(question + 1);
    if (!streamNamePattern.test(name) || name === '.' || name === '..') return reject('StreamNotFound', 'invalid stream name');
    if (args.length > maxArgsLength) return reject('Failed', 'play arguments too long');
    const start = typeof message.args[1] === 'number' && Number.isFinite(message.args[1]) ? message.args[1] : 0;
    const duration = typeof message.args[2] === 'number' && Number.isFinite(message.args[2]) ? message.args[2] : 0;
    const reset = message.args[3] === true;
    const request: PlayRequest = { app: info.app, name, args, start: Math.trunc(start) >>> 0, duration: Math.trunc(duration) >>> 0, reset, tcUrl: info.tcUrl, flashVer: info.flashVer, swfUrl: info.swfUrl, pageUrl: info.pageUrl };
    this.play = { state: 'authorizing', streamId, request };
    actions.push({ type: 'authorize-play', request });
  }

  private rejectPublishOn(streamId: number, code: PublishRejection, description: string): SessionAction[] {
    return [this.send(this.onStatus(streamId, 'error', `NetStream.Publish.${code}`, description)), this.closeWith(`publish rejected: ${code} (${description})`)];
  }

  private endPublish(actions: SessionAction[], streamId: number): void {
    if (this.publish.state === 'idle') return;
    const wasPublishing = this.publish.state === 'publishing';
    this.publish = { state: 'idle' };
    if (wasPublishing) {
      actions.push(this.send(this.onStatus(streamId, 'status', 'NetStream.Unpublish.Success', 'Stream unpublished.')));
    }
    actions.push({ type: 'publish-ended' });
  }

  /**
   * "An aggregate message is a single message that contains a series of RTMP sub-messages"
   * (7.1.6): FLV tags whose timestamps are offsets from the first one, rebased on the message's.
   */
  private handleAggregate(message: { readonly timestamp: number; readonly streamId: number; readonly payload: Uint8Array }, actions: SessionAction[]): void {
    if (this.publish.state !== 'publishing' || message.streamId !== this.publish.streamId) return;
    const tags = decodeFlvTags(message.payload);
    const base = tags[0]?.timestamp ?? 0;
    for (const tag of tags) {
      const timestamp = (message.timestamp + tag.timestamp - base) >>> 0;
      const common = { timestamp, streamId: message.streamId };
      if (tag.tagType === FlvTagType.Audio) this.handleMedia({ ...common, type: MessageType.Audio, payload: tag.data }, actions);
      else if (tag.tagType === FlvTagType.Video) this.handleMedia({ ...common, type: MessageType.Video, payload: tag.data }, actions);
      else if (tag.tagType === FlvTagType.ScriptData) this.handleData({ ...common, type: MessageType.DataAmf0, values: decodeAmf0(tag.data, this.amf0Limits) }, actions);
    }
  }

  private handleData(message: MessageOf<MessageType.DataAmf0>, actions: SessionAction[]): void {
    if (this.publish.state !== 'publishing' || message.streamId !== this.publish.streamId) return;
    const metadata = scriptDataToMetadata(fromValues(message.values));
    if (metadata) actions.push({ type: 'media', message: metadata });
  }

  private handleMedia(message: MessageOf<MessageType.Audio | MessageType.Video>, actions: SessionAction[]): void {
    // Media before Publish.Start (or on another stream) has nowhere to go; encoders do not send it.
    if (this.publish.state !== 'publishing' || message.streamId !== this.publish.streamId) return;
    if (message.payload.length === 0) return; // an empty tag is a legal "nothing" (ffmpeg sends one at start)
    let media: MediaMessage | null;
    if (message.type === MessageType.Audio) {
      const tag = decodeAudioTag(message.payload);
      media = audioTagToMedia(tag, message.timestamp);
      if (!media && tag.data.length > 0 && tag.soundFormat !== SoundFormat.Aac) {
        this.notice(actions, `audio-${tag.soundFormat}`, `ignoring audio with FLV SoundFormat ${tag.soundFormat} (only AAC is ingested)`);
      }
    } else {
      const tag = decodeVideoTag(message.payload);
      media = videoTagToMedia(tag, message.timestamp);
      if (!tag.codec) this.notice(actions, `video-${String(tag.codecId)}`, `ignoring video with codec ${JSON.stringify(String(tag.codecId))}`);
    }
    if (media) actions.push({ type: 'media', message: media });
  }
}

function carriesMedia(message: Message): boolean {
  switch (message.type) {
    case MessageType.Audio:
    case MessageType.Video:
    case MessageType.DataAmf0:
      return true;
    case 'unsupported':
      return message.typeId === MessageType.Aggregate;
    default:
      return false;
  }
}
