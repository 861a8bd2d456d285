// What the phases need from a media server under test, whichever implementation it is.

export interface ServerUnderTest {
  /** 'OnAir' or 'nginx-rtmp'. */
  readonly name: string;
  /** Root of the server's process tree (sampled for CPU and RSS). */
  readonly pid: number;
  rtmpUrl(streamKey: string): string;
  /** The URL a player is given: a multivariant or a media playlist. */
  playlistUrl(streamKey: string): string;
  /** Kills the process tree this bench started (by PID) and removes its temp files. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Target segment / fragment duration, ms. */
  segmentMs: number;
  /** LL-HLS part duration, ms (OnAir only; nginx-rtmp has no parts). */
  partMs: number;
  /** Segments kept in the playlist. */
  window: number;
  /**
   * OnAir only: the connection-limit flags to start it with. Absent: `loopbackLimitFlags` (every
   * publisher and viewer is on 127.0.0.1, see onair.ts); `[]`: the defaults.
   */
  onairLimitFlags?: readonly string[];
  /** OnAir only: flags appended after all others (the recording phase's --on-publish and --record-dir). */
  onairExtraFlags?: readonly string[];
}
