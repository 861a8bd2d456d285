// Command-line flags and environment variables, validated with zod at start-up. A flag wins over
// its environment variable; every default is declared (and documented) here and nowhere else.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseTrustProxy, TrustProxyError, type TrustProxy } from './http/client-address.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z
  .string()
  .url()
  .refine((u) => new URL(u).protocol === 'http:', 'must be an http:// URL (the callbacks are plain HTTP, as in nginx-rtmp)');

export const configSchema = z.object({
  /** RTMP listen port. Default 1935, the RTMP standard port. */
  rtmpPort: port.default(1935),
  /** HTTP port for /healthz, /api/streams and HLS. Default 8935. */
  httpPort: port.default(8935),
  /** Address both listeners bind to. Default 0.0.0.0 (all IPv4 interfaces). */
  host: z.string().min(1).default('0.0.0.0'),
  /** The one RTMP application publishers connect to (rtmp://host/<app>/<key>). Default 'live'. */
  app: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only')
    .default('live'),
  /** nginx-rtmp style on_publish URL. Absent: every publish is allowed (with a start-up warning). */
  onPublishUrl: httpUrl.optional(),
  /** nginx-rtmp style on_publish_done URL. Absent: nothing is posted when a publish ends. */
  onPublishDoneUrl: httpUrl.optional(),
  /** Timeout for each callback request. Default 5000 ms; a timed-out on_publish denies. */
  callbackTimeoutMs: positiveInt.max(120_000).default(5000),
  /** Seconds without media after which a publisher is dropped. Default 30. */
  idleTimeoutSeconds: positiveInt.max(3600).default(30),
  /**
   * Handshake, `connect` and `publish` must arrive within this many ms of the TCP connect, or
   * the connection is closed however it trickles bytes. Default 5000: a publisher needs a few
   * round trips; a slot holder gets 5 s.
   */
  authTimeoutMs: positiveInt.min(100).max(120_000).default(5000),
  /** RTMP connections open at once; more are refused at accept. Default 1000. */
  rtmpMaxConnections: positiveInt.max(100_000).default(1000),
  /**
   * RTMP connections from one address (an IPv6 client counts as its /64). Default 10: an
   * encoder or two per household, room for a few behind one NAT.
   */
  rtmpMaxConnectionsPerAddress: positiveInt.max(100_000).default(10),
  /**
   * Largest RTMP message before a publish is accepted; a longer declared length closes the
   * connection. Default 4096: connect/createStream/publish are a few hundred bytes.
   */
  rtmpPreAuthMaxMessageBytes: positiveInt.min(512).max(1 << 20).default(4096),
  /** Chunk streams a connection may use before its publish is accepted. Default 8 (encoders use 2-3). */
  rtmpPreAuthMaxChunkStreams: positiveInt.min(2).max(64).default(8),
  /**
   * Largest RTMP message of an accepted publisher (a video frame). Default 8 MiB: a 1080p60
   * keyframe at 20 Mbps is well under 2 MiB. Messages in progress may hold twice this.
   */
  rtmpMaxMessageBytes: positiveInt.min(64 << 10).max(16 << 20).default(8 << 20),
  /** Chunk streams an accepted publisher may use. Default 16 (encoders use 2-8). */
  rtmpMaxChunkStreams: positiveInt.min(2).max(1024).default(16),
  /** Default 'info'. */
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** HLS target segment duration. Default 2000 ms. */
  segmentDurationMs: positiveInt.min(100).max(60_000).default(2000),
  /** LL-HLS part duration. Default 200 ms. */
  partDurationMs: positiveInt.min(20).max(10_000).default(200),
  /**
   * Complete segments listed in the live playlist. Default 7 (14 s at the 2 s segment default).
   * Why 7: Playlist Delta Updates skip only what lies beyond the Skip Boundary ("The Skip
   * Boundary MUST be at least six times the Target Duration"), so a shorter playlist would
   * answer every `_HLS_skip` request in full; and players start HOLD-BACK = 3 target durations
   * from the end, so 7 leaves a stalled player 4 more. The playlist never drops below three
   * target durations whatever this is ("The server MUST NOT remove a Media Segment from a
   * Playlist file without an EXT-X-ENDLIST tag if that would produce a Playlist whose duration
   * is less than three times the Target Duration", segment-store.ts). Only the newest
   * `hlsMemorySegments` of them cost memory.
   */
  hlsWindowSegments: positiveInt.min(2).max(100).default(7),
  /**
   * Complete segments whose bytes stay in memory, newest first. Default 2: what players at the
   * live edge fetch is the segment in progress (its parts, always in memory) and the newest
   * segment. Older segments, listed or just removed from the playlist (RFC 8216 6.2.2 keeps
   * those servable for their duration plus the playlist's), are served from their files: the
   * --hls-dir copy, or a private directory under TMPDIR removed at exit. Media is nearly all of
   * a stream's memory (~2.7 Mbit/s is ~0.7 MB per 2 s segment). Setting this to --hls-window or
   * more keeps every segment in memory and, without --hls-dir, writes no files at all.
   */
  hlsMemorySegments: positiveInt.max(100).default(2),
  /** Optional directory HLS output is also written to; absent: memory only. */
  hlsDir: z.string().min(1).optional(),
  /** How long an ended stream's playlist stays servable. Default 10000 ms. */
  endGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),

  // The HTTP port faces the internet: every limit below is per process and fits a public server
  // and a test's loopback load alike; a bench with 1000 viewers from one address sets its own.
  /** Bearer token for /api/ (the private control API). Absent: the API answers 401 to everything. */
  apiToken: z.string().min(1).max(1024).optional(),
  /**
   * Which X-Forwarded-For entry names the client (for the per-address caps): a hop count (`1`:
   * one reverse proxy in front) or a comma list of proxy addresses/CIDRs. Absent: the socket address.
   */
  trustProxy: z
    .string()
    .optional()
    .transform((text, context): TrustProxy => {
      try {
        return parseTrustProxy(text);
      } catch (error) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: error instanceof TrustProxyError ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  /** HTTP connections open at once. Default 4000 (~1000 LL-HLS viewers use 1-3 each). */
  httpMaxConnections: positiveInt.max(1_000_000).default(4000),
  /** HTTP connections per client address (IPv6: per /64). Default 64: a household behind one NAT. */
  httpMaxConnectionsPerAddress: positiveInt.max(1_000_000).default(64),
  /** Requests pipelined on one connection and not answered yet; beyond it the connection is dropped. Default 16. */
  httpMaxPipelined: positiveInt.max(1000).default(16),
  /** A connection whose response bytes make no progress this long is dropped. Default 15000 ms. */
  httpWriteStallTimeoutMs: positiveInt.min(100).max(600_000).default(15_000),
  /** A request head must arrive within this. Default 10000 ms. */
  httpHeadersTimeoutMs: positiveInt.min(100).max(600_000).default(10_000),
  /** An idle keep-alive connection is closed after this. Default 5000 ms. */
  httpKeepAliveTimeoutMs: positiveInt.min(100).max(600_000).default(5000),
  /** Largest request head. Default 8192 bytes. */
  httpMaxHeaderBytes: positiveInt.min(1024).max(65_536).default(8192),
  /** Blocking playlist/part requests held at once per stream. Default 2000. */
  hlsMaxHeldPerStream: positiveInt.max(1_000_000).default(2000),
  /**
   * MiB read from segment files and not yet sent, across all responses; past it a file-served
   * request gets 503. Default 16: it is what slow readers can make the server hold (the bench's
   * hostile phase), and players at the live edge are served from memory, not from files.
   */
  hlsFileReadBudgetMb: positiveInt.max(65_536).default(16),
  /** Blocking requests held at once per client address (a viewer holds about 2). Default 16. */
  hlsMaxHeldPerAddress: positiveInt.max(1_000_000).default(16),
  /**
   * After a 503 over a hold cap, how long its connection is not read (0: not paused). Default
   * 1000, the Retry-After it carries: a client looping refused requests gets one answer a second
   * per connection instead of thousands, and its next request waits unread in the kernel.
   */
  hlsRefusalDelayMs: z.coerce.number().int().min(0).max(10_000).default(1000),

  // Recording past broadcasts (issue #15, CONTRACT-15).
  /**
   * Folder recordings go to, one per broadcast: <dir>/<app>/<name>/<broadcastId>/. Absent: nothing
   * is recorded. A broadcast is recorded only when on_publish answered `X-OnAir-Record: 1` too.
   */
  recordDir: z.string().min(1).optional(),
  /** nginx-rtmp style on_record_done URL, posted when a recording is finished. Absent: not posted. */
  onRecordDoneUrl: httpUrl.optional(),
  /**
   * Free space (GiB, as the web app counts it) the record dir's file system must keep: a recording
   * does not start, and one in progress stops (finalised, kept), under it; streaming goes on.
   * Default 2; 0 disables.
   */
  recordMinFreeGb: z.coerce.number().min(0).max(1_000_000).default(2),
  /**
   * MiB of recording writes queued and not yet on disk, across all recordings. A disk that cannot
   * keep up stops the recordings that would pass it (finalised, kept) rather than growing memory.
   * Default 64 (about 3 minutes of one 2.7 Mbit/s stream).
   */
  recordMaxQueueMb: positiveInt.max(65_536).default(64),
  /**
   * Rewind while live: a recorded broadcast's live playlist lists its last this many hours (the
   * older segments served from the recording's files), not just the window; 0: the window only.
   * Each listed segment costs the server ~430 bytes (and ~260 more while it stays servable after
   * leaving the playlist) and every full playlist ~80 bytes, so a broadcast on the air for days
   * would otherwise grow without end. Default 4 (~7200 segments of 2 s, ~5 MB with the retired
   * ones, a 560 KB full playlist; bench/tools/heap-per-segment.ts).
   */
  recordRewindHours: z.coerce.number().min(0).max(48).default(4),
  // RTMP playback (rtmp/live-playback.ts).
  /** nginx-rtmp style on_play URL. Absent: every play of a live stream is allowed. */
  onPlayUrl: httpUrl.optional(),
  /** nginx-rtmp style on_play_done URL. Absent: nothing is posted when a play ends. */
  onPlayDoneUrl: httpUrl.optional(),
  /**
   * Bytes one RTMP player may leave unread before it skips to the next keyframe (twice this
   * drops it). Default 2 MiB: ~6 s of a 2.5 Mbit/s stream, room for the GOP a player starts with.
   */
  rtmpPlayMaxQueueBytes: positiveInt.min(64 << 10).max(256 << 20).default(2 << 20),
  /** A player still skipping after this many ms is dropped. Default 10000. */
  rtmpPlayMaxBehindMs: positiveInt.min(100).max(600_000).default(10_000),
  /** Largest GOP kept for joining players; a longer one is dropped and players start at the next keyframe. Default 8 MiB. */
  rtmpGopCacheMaxBytes: positiveInt.min(64 << 10).max(256 << 20).default(8 << 20),
});

export type Config = z.infer<typeof configSchema>;

/** flag name -> [config key, environment variable] */
const flags = {
  'rtmp-port': ['rtmpPort', 'RTMP_PORT'],
  'http-port': ['httpPort', 'MEDIA_HTTP_PORT'],
  host: ['host', 'MEDIA_HOST'],
  app: ['app', 'RTMP_APP'],
  'on-publish': ['onPublishUrl', 'ON_PUBLISH_URL'],
  'on-publish-done': ['onPublishDoneUrl', 'ON_PUBLISH_DONE_URL'],
  'callback-timeout-ms': ['callbackTimeoutMs', 'CALLBACK_TIMEOUT_MS'],
  'idle-timeout': ['idleTimeoutSeconds', 'IDLE_TIMEOUT'],
  'auth-timeout-ms': ['authTimeoutMs', 'RTMP_AUTH_TIMEOUT_MS'],
  'rtmp-max-connections': ['rtmpMaxConnections', 'RTMP_MAX_CONNECTIONS'],
  'rtmp-max-connections-per-address': ['rtmpMaxConnectionsPerAddress', 'RTMP_MAX_CONNECTIONS_PER_ADDRESS'],
  'rtmp-preauth-max-message-bytes': ['rtmpPreAuthMaxMessageBytes', 'RTMP_PREAUTH_MAX_MESSAGE_BYTES'],
  'rtmp-preauth-max-chunk-streams': ['rtmpPreAuthMaxChunkStreams', 'RTMP_PREAUTH_MAX_CHUNK_STREAMS'],
  'rtmp-max-message-bytes': ['rtmpMaxMessageBytes', 'RTMP_MAX_MESSAGE_BYTES'],
  'rtmp-max-chunk-streams': ['rtmpMaxChunkStreams', 'RTMP_MAX_CHUNK_STREAMS'],
  'log-level': ['logLevel', 'LOG_LEVEL'],
  'segment-duration-ms': ['segmentDurationMs', 'HLS_SEGMENT_DURATION_MS'],
  'part-duration-ms': ['partDurationMs', 'HLS_PART_DURATION_MS'],
  'hls-window': ['hlsWindowSegments', 'HLS_WINDOW_SEGMENTS'],
  'hls-memory-segments': ['hlsMemorySegments', 'HLS_MEMORY_SEGMENTS'],
  'hls-dir': ['hlsDir', 'HLS_DIR'],
  'end-grace-ms': ['endGraceMs', 'HLS_END_GRACE_MS'],
  'api-token': ['apiToken', 'MEDIA_SERVER_API_TOKEN'],
  'trust-proxy': ['trustProxy', 'TRUST_PROXY'],
  'http-max-connections': ['httpMaxConnections', 'HTTP_MAX_CONNECTIONS'],
  'http-max-connections-per-address': ['httpMaxConnectionsPerAddress', 'HTTP_MAX_CONNECTIONS_PER_ADDRESS'],
  'http-max-pipelined': ['httpMaxPipelined', 'HTTP_MAX_PIPELINED'],
  'http-write-stall-timeout-ms': ['httpWriteStallTimeoutMs', 'HTTP_WRITE_STALL_TIMEOUT_MS'],
  'http-headers-timeout-ms': ['httpHeadersTimeoutMs', 'HTTP_HEADERS_TIMEOUT_MS'],
  'http-keep-alive-timeout-ms': ['httpKeepAliveTimeoutMs', 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
  'http-max-header-bytes': ['httpMaxHeaderBytes', 'HTTP_MAX_HEADER_BYTES'],
  'hls-max-held-per-stream': ['hlsMaxHeldPerStream', 'HLS_MAX_HELD_PER_STREAM'],
  'hls-max-held-per-address': ['hlsMaxHeldPerAddress', 'HLS_MAX_HELD_PER_ADDRESS'],
  'hls-refusal-delay-ms': ['hlsRefusalDelayMs', 'HLS_REFUSAL_DELAY_MS'],
  'hls-file-read-budget-mb': ['hlsFileReadBudgetMb', 'HLS_FILE_READ_BUDGET_MB'],
  'record-dir': ['recordDir', 'RECORD_DIR'],
  'on-record-done': ['onRecordDoneUrl', 'ON_RECORD_DONE_URL'],
  'record-min-free-gb': ['recordMinFreeGb', 'RECORDINGS_MIN_FREE_GB'],
  'record-max-queue-mb': ['recordMaxQueueMb', 'RECORD_MAX_QUEUE_MB'],
  'record-rewind-hours': ['recordRewindHours', 'RECORD_REWIND_HOURS'],
  'on-play': ['onPlayUrl', 'ON_PLAY_URL'],
  'on-play-done': ['onPlayDoneUrl', 'ON_PLAY_DONE_URL'],
  'rtmp-play-max-queue-bytes': ['rtmpPlayMaxQueueBytes', 'RTMP_PLAY_MAX_QUEUE_BYTES'],
  'rtmp-play-max-behind-ms': ['rtmpPlayMaxBehindMs', 'RTMP_PLAY_MAX_BEHIND_MS'],
  'rtmp-gop-cache-max-bytes': ['rtmpGopCacheMaxBytes', 'RTMP_GOP_CACHE_MAX_BYTES'],
} as const satisfies Record<string, readonly [keyof Config, string]>;

export const usage = `Usage: onair-media-server [options]

RTMP ingest with nginx-rtmp compatible on_publish/on_publish_done callbacks, and LL-HLS output.

Options (each also settable through the environment variable shown):
  --rtmp-port N             RTMP port (RTMP_PORT, default 1935)
  --http-port N             HTTP port for /healthz, /api/streams, HLS (MEDIA_HTTP_PORT, default 8935)
  --host ADDR               bind address (MEDIA_HOST, default 0.0.0.0)
  --app NAME                RTMP application name (RTMP_APP, default live)
  --on-publish URL          on_publish callback (ON_PUBLISH_URL; without it every publish is allowed)
  --on-publish-done URL     on_publish_done callback (ON_PUBLISH_DONE_URL)
  --callback-timeout-ms N   callback timeout (CALLBACK_TIMEOUT_MS, default 5000)
  --idle-timeout S          drop a publisher after S seconds without media (IDLE_TIMEOUT, default 30)
  --auth-timeout-ms N       close an RTMP connection that has not sent publish or play N ms after
                            connecting (RTMP_AUTH_TIMEOUT_MS, default 5000)
  --rtmp-max-connections N  RTMP connections at once (RTMP_MAX_CONNECTIONS, default 1000)
  --rtmp-max-connections-per-address N
                            RTMP connections per client address, IPv6 per /64
                            (RTMP_MAX_CONNECTIONS_PER_ADDRESS, default 10)
  --rtmp-preauth-max-message-bytes N
                            largest RTMP message before a publish is accepted
                            (RTMP_PREAUTH_MAX_MESSAGE_BYTES, default 4096)
  --rtmp-preauth-max-chunk-streams N
                            chunk streams before a publish is accepted
                            (RTMP_PREAUTH_MAX_CHUNK_STREAMS, default 8)
  --rtmp-max-message-bytes N
                            largest RTMP message of an accepted publisher; messages in
                            progress hold at most twice this (RTMP_MAX_MESSAGE_BYTES, default 8388608)
  --rtmp-max-chunk-streams N
                            chunk streams of an accepted publisher (RTMP_MAX_CHUNK_STREAMS, default 16)
  --log-level LEVEL         debug|info|warn|error (LOG_LEVEL, default info)
  --segment-duration-ms N   HLS segment duration (HLS_SEGMENT_DURATION_MS, default 2000)
  --part-duration-ms N      LL-HLS part duration (HLS_PART_DURATION_MS, default 200)
  --hls-window N            segments in the playlist (HLS_WINDOW_SEGMENTS, default 7)
  --hls-memory-segments N   newest segments kept in memory, older ones served from files in
                            --hls-dir or a private temp dir (HLS_MEMORY_SEGMENTS, default 2)
  --hls-dir DIR             also write HLS files here (HLS_DIR, default: memory only)
  --end-grace-ms N          keep an ended stream servable this long (HLS_END_GRACE_MS, default 10000)

HTTP port (public: HLS and /healthz; private: /api/ with the token):
  --api-token TOKEN         bearer token for /api/ (MEDIA_SERVER_API_TOKEN; prefer the env var,
                            argv is visible to other users; without it /api/ answers 401)
  --trust-proxy SPEC        count clients by X-Forwarded-For: hop count (1) or proxy addresses/CIDRs
                            (TRUST_PROXY, default: off, the socket address counts)
  --http-max-connections N  connections open at once (HTTP_MAX_CONNECTIONS, default 4000)
  --http-max-connections-per-address N
                            per client address, IPv6 per /64 (HTTP_MAX_CONNECTIONS_PER_ADDRESS, default 64)
  --http-max-pipelined N    unanswered pipelined requests per connection before it is dropped
                            (HTTP_MAX_PIPELINED, default 16)
  --http-write-stall-timeout-ms N
                            drop a connection whose response makes no write progress this long
                            (HTTP_WRITE_STALL_TIMEOUT_MS, default 15000)
  --http-headers-timeout-ms N
                            a request head must arrive within this (HTTP_HEADERS_TIMEOUT_MS, default 10000)
  --http-keep-alive-timeout-ms N
                            close idle keep-alive connections after this (HTTP_KEEP_ALIVE_TIMEOUT_MS, default 5000)
  --http-max-header-bytes N largest request head (HTTP_MAX_HEADER_BYTES, default 8192)
  --hls-max-held-per-stream N
                            blocking LL-HLS requests held per stream; more get 503
                            (HLS_MAX_HELD_PER_STREAM, default 2000)
  --hls-max-held-per-address N
                            blocking LL-HLS requests held per client address; more get 503
                            (HLS_MAX_HELD_PER_ADDRESS, default 16)
  --hls-refusal-delay-ms N  after a 503 over a hold cap, the connection is not read for this
                            long, so a client looping refused requests is slowed down
                            (HLS_REFUSAL_DELAY_MS, default 1000; 0 does not pause)
  --hls-file-read-budget-mb N
                            MiB of file-served segment bytes in flight across all clients; more
                            get 503 (HLS_FILE_READ_BUDGET_MB, default 16)

Recording (past broadcasts; only when on_publish answers X-OnAir-Record: 1):
  --record-dir DIR          record broadcasts to DIR/<app>/<name>/<broadcastId>/, served signed
                            under /recordings/ (RECORD_DIR, default: no recording)
  --on-record-done URL      on_record_done callback (ON_RECORD_DONE_URL)
  --record-min-free-gb N    free GiB to keep on the record dir's disk; under it recording stops,
                            streaming goes on (RECORDINGS_MIN_FREE_GB, default 2, 0: off)
  --record-max-queue-mb N   MiB of recording writes waiting for the disk, all recordings; past it
                            a recording stops (RECORD_MAX_QUEUE_MB, default 64)
  --record-rewind-hours N   while recorded, the live playlist lists the broadcast's last N hours
                            (rewind while live; RECORD_REWIND_HOURS, default 4, 0: the window only)

RTMP playback (rtmp://host/<app>/<public name>, e.g. VLC, ffplay, OBS Media Source):
  --on-play URL             on_play callback (ON_PLAY_URL; without it every play of a live
                            stream is allowed)
  --on-play-done URL        on_play_done callback (ON_PLAY_DONE_URL)
  --rtmp-play-max-queue-bytes N
                            bytes a player may leave unread before it skips to the next
                            keyframe; twice this drops it (RTMP_PLAY_MAX_QUEUE_BYTES, default 2097152)
  --rtmp-play-max-behind-ms N
                            drop a player still skipping after N ms (RTMP_PLAY_MAX_BEHIND_MS, default 10000)
  --rtmp-gop-cache-max-bytes N
                            largest GOP kept for joining players (RTMP_GOP_CACHE_MAX_BYTES, default 8388608)
  --help                    show this text
`;

export type ConfigResult = { readonly help: true } | { readonly help: false; readonly config: Config };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses flags over environment variables. Throws ConfigError naming the offending flag. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ConfigResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const values: Record<string, string | boolean | undefined> = parsed.values;
  if (values.help === true) return { help: true };
  const input: Record<string, string> = {};
  for (const [flag, [key, envName]] of Object.entries(flags)) {
    const fromFlag = values[flag];
    const value = typeof fromFlag === 'string' ? fromFlag : env[envName];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const keyToFlag = new Map(Object.entries(flags).map(([flag, [key, envName]]) => [key as string, `--${flag} / ${envName}`]));
    const problems = result.error.issues.map((issue) => `${keyToFlag.get(String(issue.path[0])) ?? String(issue.path[0])}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return { help: false, config: result.data };
}
