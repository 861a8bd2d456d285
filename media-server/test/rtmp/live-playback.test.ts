// LivePlayback with its GOP cache and per-player pacer, in-process: fake player outputs whose
// queued bytes the test controls, a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MediaMessage } from '../../src/media/types.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { ChunkWriter } from '../../src/rtmp/chunk-writer.js';
import { GopCache } from '../../src/rtmp/gop-cache.js';
import { LivePlayback, type PlayerOutput } from '../../src/rtmp/live-playback.js';
import { LazyPlayPacket, encodePlayPacket } from '../../src/rtmp/play-packets.js';
import { MessageType, encodeMessage, type RtmpMessage } from '../../src/rtmp/messages.js';
import { PlayerPacer } from '../../src/rtmp/player-pacer.js';
import { hex } from '../helpers/captures.js';

const video = (timestamp: number, keyframe: boolean, size = 100): MediaMessage => ({ type: 'video', timestamp, compositionOffset: 0, keyframe, data: new Uint8Array(size) });
const audio = (timestamp: number): MediaMessage => ({ type: 'audio', timestamp, data: new Uint8Array(10) });
const configs: MediaMessage[] = [
  { type: 'metadata', width: 320, height: 240 },
  { type: 'video-config', codec: 'h264', record: hex('01640015') },
  { type: 'audio-config', codec: 'aac', config: hex('1210') },
];

class FakePlayer implements PlayerOutput {
  /** Each send, as given. */
  readonly sent: Uint8Array[] = [];
  /** What a player reads from the sends: the messages, parsed back at the shared chunk size. */
  readonly messages: RtmpMessage[] = [];
  private readonly reader = new ChunkReader();
  queuedBytes = 0;
  ended: string | null = null;
  constructor() {
    this.reader.push(new ChunkWriter().write(encodeMessage({ type: MessageType.SetChunkSize, timestamp: 0, streamId: 0, chunkSize: 4096 })));
  }
  send(bytes: Uint8Array): void {
    this.sent.push(bytes);
    this.messages.push(...this.reader.push(bytes));
  }
  end(reason: 'unpublish' | 'too-slow'): void {
    assert.equal(this.ended, null, 'end is called once');
    this.ended = reason;
  }
  types(): number[] {
    return this.messages.map((m) => m.typeId);
  }
  timestamps(): number[] {
    return this.messages.map((m) => m.timestamp);
  }
}

function setup(limits: { maxQueueBytes?: number; maxBehindMs?: number; maxGopBytes?: number } = {}) {
  let now = 0;
  const playback = new LivePlayback({ chunkSize: 4096, maxQueueBytes: limits.maxQueueBytes ?? 1 << 20, maxBehindMs: limits.maxBehindMs ?? 1000, maxGopBytes: limits.maxGopBytes ?? 1 << 20, now: () => now });
  const sink = playback.open({ app: 'live', name: 'chan', publishedAt: new Date(0) });
  /** What the RTMP server does with one publisher read: writes its messages, then flushes. */
  const read = (...messages: MediaMessage[]) => {
    for (const m of messages) sink.write(m);
    sink.flush?.();
  };
  return { playback, sink, read, advance: (ms: number) => (now += ms) };
}

describe('live playback', () => {
  it('starts a joining player with metadata, both sequence headers and the current GOP only', () => {
    const { playback, read } = setup();
    read(...configs, video(0, true), audio(10), video(40, false), video(80, true), audio(90), video(120, false));
    const player = new FakePlayer();
    assert.ok(playback.join('live', 'chan', player));
    // onMetaData (18), AVC header (9), AAC header (8), then keyframe@80, audio@90, frame@120
    assert.deepEqual(player.types(), [18, 9, 8, 9, 8, 9]);
    assert.equal(player.messages[3]?.payload[0], 0x17, 'the GOP starts at a keyframe');
  });

  it('a player joining without a GOP (none kept yet) starts at the next keyframe', () => {
    const { playback, read } = setup({ maxGopBytes: 150 });
    read(...configs);
    read(video(0, true, 200)); // larger than the GOP cap: not kept
    const player = new FakePlayer();
    playback.join('live', 'chan', player);
    assert.deepEqual(player.types(), [18, 9, 8]);
    read(video(40, false));
    read(audio(50));
    assert.equal(player.messages.length, 3, 'nothing before a keyframe');
    read(video(80, true));
    read(audio(90));
    assert.deepEqual(player.types(), [18, 9, 8, 9, 8]);
  });

  it('writes one shared Buffer to every player', () => {
    const { playback, read } = setup();
    read(...configs);
    const players = [new FakePlayer(), new FakePlayer(), new FakePlayer()];
    for (const p of players) playback.join('live', 'chan', p);
    assert.deepEqual(players.map((p) => p.sent.length), [3, 3, 3]);
    read(video(0, true));
    assert.ok(players.every((p) => p.sent.length === 4));
    assert.ok(players.every((p) => p.sent[3] === players[0]?.sent[3]), 'the same object, not copies');
  });

  it('sends the messages of one publisher read in one write, the same buffer for every player', () => {
    const { playback, sink, read } = setup();
    read(...configs, video(0, true));
    const players = [new FakePlayer(), new FakePlayer()];
    for (const p of players) playback.join('live', 'chan', p);
    const before = players.map((p) => p.sent.length);
    sink.write(audio(10));
    sink.write(video(40, false));
    sink.write(audio(30));
    assert.deepEqual(players.map((p) => p.sent.length), before, 'nothing is sent before the read is flushed');
    sink.flush?.();
    assert.deepEqual(players.map((p, i) => p.sent.length - (before[i] ?? 0)), [1, 1]);
    assert.ok(players[0]?.sent.at(-1) === players[1]?.sent.at(-1), 'the same object, not copies');
    for (const p of players) assert.deepEqual(p.timestamps().slice(-3), [10, 40, 30]);
  });

  it('a player joining before the flush gets the pending messages once, in its start', () => {
    const { playback, sink, read } = setup();
    read(...configs, video(0, true));
    const first = new FakePlayer();
    playback.join('live', 'chan', first);
    sink.write(audio(10));
    sink.write(video(40, false));
    const second = new FakePlayer();
    playback.join('live', 'chan', second);
    sink.flush?.();
    read(audio(50));
    for (const p of [first, second]) assert.deepEqual(p.timestamps().slice(3), [0, 10, 40, 50]);
  });

  it('sends what was written before the stream ends', () => {
    const { playback, sink, read } = setup();
    read(...configs, video(0, true));
    const player = new FakePlayer();
    playback.join('live', 'chan', player);
    sink.write(video(40, false));
    sink.end('unpublish');
    assert.deepEqual(player.timestamps().slice(3), [0, 40]);
    assert.equal(player.ended, 'unpublish');
  });

  it('refuses a join for a name that is not live, and forgets a stream when it ends', () => {
    const { playback, sink } = setup();
    assert.equal(playback.join('live', 'other', new FakePlayer()), null);
    const player = new FakePlayer();
    playback.join('live', 'chan', player);
    assert.equal(playback.playerCount('live', 'chan'), 1);
    sink.end('unpublish');
    assert.equal(player.ended, 'unpublish');
    assert.equal(playback.isLive('live', 'chan'), false);
  });

  it('a slow player skips to the next keyframe, others are not held back; one behind too long is dropped', () => {
    const { playback, read, advance } = setup({ maxQueueBytes: 1000, maxBehindMs: 500 });
    read(...configs);
    const slow = new FakePlayer();
    const fast = new FakePlayer();
    playback.join('live', 'chan', slow);
    playback.join('live', 'chan', fast);
    read(video(0, true));
    slow.queuedBytes = 950; // its peer stopped reading
    read(video(40, false));
    read(audio(50));
    assert.equal(slow.messages.length, 4, 'skipped while its queue is full');
    assert.equal(fast.messages.length, 6);
    slow.queuedBytes = 0; // drained, but it only resumes at a keyframe
    read(video(80, false));
    assert.equal(slow.messages.length, 4);
    read(video(120, true));
    assert.equal(slow.messages.length, 5, 'resumed at the keyframe');
    slow.queuedBytes = 990;
    read(video(160, false));
    advance(600);
    read(video(200, false));
    assert.equal(slow.ended, 'too-slow');
    assert.equal(fast.messages.length, 10);
    assert.equal(playback.playerCount('live', 'chan'), 1);
  });

  it('within one read, a player whose queue fills skips the rest and gets what it took one by one', () => {
    const { playback, read } = setup({ maxQueueBytes: 1000, maxBehindMs: 500 });
    read(...configs, video(0, true));
    const slow = new FakePlayer();
    const fast = new FakePlayer();
    playback.join('live', 'chan', slow);
    playback.join('live', 'chan', fast);
    const [slowBefore, fastBefore] = [slow.sent.length, fast.sent.length];
    slow.queuedBytes = 600;
    // Each inter frame is ~300 bytes chunked: the slow player's queue takes one more, then it skips.
    read(video(40, false, 290), video(80, false, 290), audio(90), video(120, false, 290));
    assert.deepEqual(slow.timestamps().slice(3), [0, 40]);
    assert.equal(slow.sent.length - slowBefore, 1);
    assert.deepEqual(fast.timestamps().slice(3), [0, 40, 80, 90, 120]);
    assert.equal(fast.sent.length - fastBefore, 1, 'a player that takes the whole read gets one write');
    slow.queuedBytes = 0;
    read(video(160, true), audio(170));
    assert.deepEqual(slow.timestamps().slice(3), [0, 40, 160, 170], 'resumed at the keyframe');
  });

  it('within one read, a player past twice the queue limit is dropped and the others get the read', () => {
    const { playback, read } = setup({ maxQueueBytes: 1000, maxBehindMs: 500 });
    read(...configs, video(0, true));
    const stuck = new FakePlayer();
    const fast = new FakePlayer();
    playback.join('live', 'chan', stuck);
    playback.join('live', 'chan', fast);
    stuck.queuedBytes = 1900;
    read(audio(10), video(40, false, 290));
    assert.equal(stuck.ended, 'too-slow');
    assert.deepEqual(fast.timestamps().slice(3), [0, 10, 40]);
    assert.equal(playback.playerCount('live', 'chan'), 1);
  });
});

describe('gop cache', () => {
  const writer = new ChunkWriter();
  const packet = (m: MediaMessage) => new LazyPlayPacket(m, 'timestamp' in m ? m.timestamp : 0, { videoCodec: 'h264', hasAudio: true }, writer);

  it('keeps nothing before the first keyframe and restarts at each keyframe', () => {
    const cache = new GopCache(1 << 20);
    cache.remember(configs[1]!);
    cache.add(packet(video(0, false)));
    assert.equal(cache.start.gop.length, 0);
    cache.add(packet(video(40, true)));
    cache.add(packet(audio(50)));
    cache.add(packet(video(80, true)));
    assert.deepEqual(cache.start.gop.map((p) => p.timestamp), [80]);
  });

  it('drops a GOP that grows past its cap until the next keyframe', () => {
    const cache = new GopCache(500);
    cache.remember(configs[1]!);
    cache.add(packet(video(0, true, 200)));
    cache.add(packet(video(40, false, 200)));
    cache.add(packet(video(80, false, 200)));
    assert.equal(cache.start.gop.length, 0);
    assert.equal(cache.bytes, 0);
    cache.add(packet(video(120, false, 10)));
    assert.equal(cache.start.gop.length, 0);
    cache.add(packet(video(160, true, 10)));
    assert.equal(cache.start.gop.length, 1);
  });

  it('audio-only streams start at the latest audio frame', () => {
    const cache = new GopCache(1 << 20);
    cache.remember(configs[2]!);
    cache.add(packet(audio(0)));
    cache.add(packet(audio(23)));
    assert.deepEqual(cache.start.gop.map((p) => p.timestamp), [23]);
  });

  it('holds messages: nothing is chunked until a player needs a packet, then once for everyone', () => {
    let writes = 0;
    const counting = new (class extends ChunkWriter {
      override write(...args: Parameters<ChunkWriter['write']>): Uint8Array {
        writes += 1;
        return super.write(...args);
      }
    })();
    const cache = new GopCache(1 << 20);
    cache.remember(configs[1]!);
    for (const m of [video(0, true), audio(10), video(40, false)]) cache.add(new LazyPlayPacket(m, 'timestamp' in m ? m.timestamp : 0, { videoCodec: 'h264', hasAudio: true }, counting));
    assert.equal(writes, 0, 'a stream without players encodes nothing');
    const first = cache.start.gop.map((entry) => entry.packet);
    assert.equal(writes, 3);
    const second = cache.start.gop.map((entry) => entry.packet);
    assert.equal(writes, 3, 'the next player gets the same packets');
    assert.ok(first.every((packet, i) => packet !== null && packet === second[i]));
  });
});

describe('player pacer', () => {
  const writer = new ChunkWriter();
  const key = encodePlayPacket(video(0, true, 100), 0, { videoCodec: 'h264', hasAudio: false }, writer)!;
  const inter = encodePlayPacket(video(40, false, 100), 40, { videoCodec: 'h264', hasAudio: false }, writer)!;
  const config = encodePlayPacket(configs[1]!, 0, { videoCodec: 'h264', hasAudio: false }, writer)!;
  const table: Array<{ name: string; steps: Array<[packet: typeof key, queued: number, now: number, expect: string]> }> = [
    { name: 'keeps up', steps: [[key, 0, 0, 'send'], [inter, 500, 10, 'send']] },
    { name: 'skips past the queue limit, resumes at a keyframe once half drained', steps: [[inter, 950, 0, 'skip'], [inter, 0, 10, 'skip'], [key, 600, 20, 'skip'], [key, 300, 30, 'send'], [inter, 400, 40, 'send']] },
    { name: 'drops when behind too long', steps: [[inter, 950, 0, 'skip'], [inter, 950, 1000, 'skip'], [inter, 950, 1001, 'drop']] },
    { name: 'sends configurations while skipping', steps: [[inter, 950, 0, 'skip'], [config, 950, 10, 'send']] },
    { name: 'drops at twice the queue limit whatever the packet', steps: [[config, 1990, 0, 'drop']] },
  ];
  for (const { name, steps } of table) {
    it(name, () => {
      const pacer = new PlayerPacer({ maxQueueBytes: 1000, maxBehindMs: 1000 });
      assert.deepEqual(steps.map(([packet, queued, now]) => pacer.decide(packet, queued, now)), steps.map((s) => s[3]));
    });
  }
});
