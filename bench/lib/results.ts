// Everything one bench run produced; saved as bench/out/results.json and rendered to RESULTS.md.
import type { BenchConfig } from './config.js';
import type { MachineInfo } from './machine.js';
import type { CallbackPhaseResult } from './phases/callbacks.js';
import type { ChatPhaseResult } from './phases/chat.js';
import type { FanoutPhaseResult } from './phases/fanout.js';
import type { GlassPhaseResult } from './phases/glass.js';
import type { HostilePhaseResult } from './phases/hostile.js';
import type { ListingPhaseResult } from './phases/listing.js';
import type { RtmpFanoutPhaseResult } from './phases/rtmp-fanout.js';
import type { LoadPhaseResult } from './phases/load.js';
import type { RecordingPhaseResult } from './phases/recording.js';

export interface Versions {
  onair: string;
  /** Node flags the OnAir server ran with (from its bin's shebang); absent in results from before they existed. */
  onairNodeFlags?: string[];
  /** The environment the bin's shebang sets for the server (absent in runs before it set any). */
  onairNodeEnv?: Record<string, string>;
  nginx: string;
  node: string;
  ffmpeg: string;
  videojs: string;
  next: string;
}

export interface PhaseFailure {
  measuredAt: string;
  error: string;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  argv: string[];
  config: BenchConfig;
  machine: MachineInfo;
  versions: Versions;
  /** 1/5/15-minute load averages when the run ended. */
  loadAverageAtEnd: number[];
  /** OnAir build per phase (with --merge, phases kept from an earlier invocation keep its build). */
  onairPerPhase?: Record<string, string>;
  /** Why OnAir could not be measured, if it could not. */
  onairUnavailable?: string;
  load?: LoadPhaseResult | PhaseFailure;
  listing?: ListingPhaseResult | PhaseFailure;
  glass?: GlassPhaseResult | PhaseFailure;
  hostile?: HostilePhaseResult | PhaseFailure;
  fanout?: FanoutPhaseResult | PhaseFailure;
  rtmpFanout?: RtmpFanoutPhaseResult | PhaseFailure;
  recording?: RecordingPhaseResult | PhaseFailure;
  chat?: ChatPhaseResult | PhaseFailure;
  callbacks?: (CallbackPhaseResult & { measuredAt: string; config: BenchConfig['callbacks'] }) | PhaseFailure;
}

export function isFailure(value: object): value is PhaseFailure {
  return 'error' in value;
}
