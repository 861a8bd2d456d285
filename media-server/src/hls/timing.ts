// RTMP timestamps -> a continuous, monotonic media timeline.
//
// RTMP carries 32-bit millisecond timestamps that wrap after ~49.7 days, and publishers send
// jumps (encoder restarts, clock resets) and small backward steps. Players break on both, so
// every track passes through here before packaging:
//   1. unwrap: the signed 32-bit difference to the previous timestamp of the same track is
//      added to a 53-bit running value, so 0xFFFFFFF0 -> 0x10 is +32 ms, not -4 294 967 ms;
//   2. repair: a step larger than `maxJumpMs` either way is treated as a timestamp reset and
//      absorbed into an offset shared by all tracks of the stream (so audio and video stay
//      in sync after the same reset), placing the frame one expected duration after the last;
//      a smaller backward or zero step is clamped to 1 ms after the previous frame.

const wrap = 2 ** 32;
const halfWrap = 2 ** 31;

export class TimestampUnwrapper {
  private lastRaw: number | undefined;
  private lastValue = 0;

  unwrap(raw: number): number {
    const value = raw >>> 0;
    if (this.lastRaw === undefined) {
      this.lastRaw = value;
      this.lastValue = value;
      return value;
    }
    let delta = (value - this.lastRaw) % wrap;
    // Exactly half a wrap either way counts as forward.
    if (delta > halfWrap) delta -= wrap;
    else if (delta <= -halfWrap) delta += wrap;
    this.lastRaw = value;
    this.lastValue += delta;
    return this.lastValue;
  }
}

/** The offset every track of one stream adds after unwrapping; moved by timestamp resets. */
export class StreamTimeline {
  offsetMs = 0;
  constructor(readonly maxJumpMs = 3000) {}

  track(): TrackTimeline {
    return new TrackTimeline(this);
  }
}

export type TimestampRepair = 'none' | 'clamped' | 'jump';

export class TrackTimeline {
  private readonly unwrapper = new TimestampUnwrapper();
  private last: number | undefined;

  constructor(private readonly stream: StreamTimeline) {}

  /**
   * Continuous milliseconds for one frame. `expectedDurationMs` is where a frame is placed
   * after a reset (one nominal frame duration after the previous one).
   */
  next(raw: number, expectedDurationMs: number): { ms: number; repair: TimestampRepair } {
    const candidate = this.unwrapper.unwrap(raw) + this.stream.offsetMs;
    const last = this.last;
    if (last === undefined) {
      this.last = candidate;
      return { ms: candidate, repair: 'none' };
    }
    const delta = candidate - last;
    if (delta > this.stream.maxJumpMs || delta < -this.stream.maxJumpMs) {
      const placed = last + Math.max(1, Math.round(expectedDurationMs));
      this.stream.offsetMs += placed - candidate;
      this.last = placed;
      return { ms: placed, repair: 'jump' };
    }
    if (delta <= 0) {
      this.last = last + 1;
      return { ms: this.last, repair: 'clamped' };
    }
    this.last = candidate;
    return { ms: candidate, repair: 'none' };
  }
}

/**
 * AAC decode times in samples. RTMP's millisecond timestamps jitter by up to a millisecond
 * (23/24 ms per 1024-sample frame at 44.1 kHz); audio must be sample-exact, so frames follow
 * each other by exactly `samplesPerFrame` unless the timestamp says the stream moved by more
 * than one frame (a real gap or overlap), in which case we resynchronise to the timestamp.
 */
export class AudioTicker {
  private expected: number | undefined;

  constructor(
    private readonly sampleRate: number,
    private readonly samplesPerFrame: number,
  ) {}

  next(ms: number): number {
    const fromTimestamp = Math.round((ms * this.sampleRate) / 1000);
    const expected = this.expected;
    const dts = expected !== undefined && Math.abs(fromTimestamp - expected) < this.samplesPerFrame ? expected : fromTimestamp;
    this.expected = dts + this.samplesPerFrame;
    return dts;
  }

  /** Moves the timeline (used when a new publish continues a stream after a discontinuity). */
  reset(): void {
    this.expected = undefined;
  }
}
