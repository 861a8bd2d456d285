import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const result = loadConfig([], {});
    assert.ok(!result.help);
    assert.deepEqual(result.config, {
      rtmpPort: 1935,
      httpPort: 8935,
      host: '0.0.0.0',
      app: 'live',
      callbackTimeoutMs: 5000,
      idleTimeoutSeconds: 30,
      authTimeoutMs: 5000,
      rtmpMaxConnections: 1000,
      rtmpMaxConnectionsPerAddress: 10,
      rtmpPreAuthMaxMessageBytes: 4096,
      rtmpPreAuthMaxChunkStreams: 8,
      rtmpMaxMessageBytes: 8 << 20,
      rtmpMaxChunkStreams: 16,
      logLevel: 'info',
      segmentDurationMs: 2000,
      partDurationMs: 200,
      hlsWindowSegments: 7,
      hlsMemorySegments: 2,
      endGraceMs: 10_000,
      trustProxy: { kind: 'none' },
      httpMaxConnections: 4000,
      httpMaxConnectionsPerAddress: 64,
      httpMaxPipelined: 16,
      httpWriteStallTimeoutMs: 15_000,
      httpHeadersTimeoutMs: 10_000,
      httpKeepAliveTimeoutMs: 5000,
      httpMaxHeaderBytes: 8192,
      hlsMaxHeldPerStream: 2000,
      hlsMaxHeldPerAddress: 16,
      hlsRefusalDelayMs: 1000,
      hlsFileReadBudgetMb: 16,
      recordMinFreeGb: 2,
      recordMaxQueueMb: 64,
      recordRewindHours: 4,
      rtmpPlayMaxQueueBytes: 2 << 20,
      rtmpPlayMaxBehindMs: 10_000,
      rtmpGopCacheMaxBytes: 8 << 20,
    });
  });

  it('reads the recording flags and their environment twins', () => {
    const env = { RECORD_DIR: '/srv/rec', ON_RECORD_DONE_URL: 'http://127.0.0.1:3000/api/rtmp/on-record-done?secret=s', RECORDINGS_MIN_FREE_GB: '0.5', RECORD_MAX_QUEUE_MB: '8', RECORD_REWIND_HOURS: '0.5' };
    const result = loadConfig(['--record-min-free-gb', '0'], env);
    assert.ok(!result.help);
    assert.equal(result.config.recordDir, '/srv/rec');
    assert.equal(result.config.onRecordDoneUrl, env.ON_RECORD_DONE_URL);
    assert.equal(result.config.recordMinFreeGb, 0);
    assert.equal(result.config.recordMaxQueueMb, 8);
    assert.equal(result.config.recordRewindHours, 0.5);
    const windowOnly = loadConfig(['--record-rewind-hours', '0'], { RECORD_REWIND_HOURS: '2' });
    assert.ok(!windowOnly.help);
    assert.equal(windowOnly.config.recordRewindHours, 0, 'the flag wins over its environment twin');
    assert.throws(() => loadConfig(['--record-rewind-hours', '49'], {}), /--record-rewind-hours/);
    assert.throws(() => loadConfig(['--on-record-done', 'https://example.test/x'], {}), /--on-record-done \/ ON_RECORD_DONE_URL/);
    assert.throws(() => loadConfig(['--record-min-free-gb', '-1'], {}), /--record-min-free-gb/);
  });

  it('reads the RTMP playback callbacks and limits', () => {
    const env = { ON_PLAY_URL: 'http://web/api/rtmp/on-play?secret=s', ON_PLAY_DONE_URL: 'http://web/api/rtmp/on-play-done?secret=s', RTMP_PLAY_MAX_QUEUE_BYTES: '1048576' };
    const result = loadConfig(['--rtmp-play-max-behind-ms', '5000', '--rtmp-gop-cache-max-bytes', '4194304'], env);
    assert.ok(!result.help);
    assert.equal(result.config.onPlayUrl, env.ON_PLAY_URL);
    assert.equal(result.config.onPlayDoneUrl, env.ON_PLAY_DONE_URL);
    assert.equal(result.config.rtmpPlayMaxQueueBytes, 1 << 20);
    assert.equal(result.config.rtmpPlayMaxBehindMs, 5000);
    assert.equal(result.config.rtmpGopCacheMaxBytes, 4 << 20);
    assert.throws(() => loadConfig(['--on-play', 'https://web/x'], {}), /--on-play \/ ON_PLAY_URL/);
  });

  it('reads the HTTP limits, the API token and --trust-proxy', () => {
    const env = { MEDIA_SERVER_API_TOKEN: 'tok', TRUST_PROXY: '10.0.0.0/8, ::1', HTTP_MAX_CONNECTIONS_PER_ADDRESS: '5', HLS_MAX_HELD_PER_ADDRESS: '3' };
    const result = loadConfig(['--trust-proxy', '2', '--http-write-stall-timeout-ms', '900'], env);
    assert.ok(!result.help);
    assert.equal(result.config.apiToken, 'tok');
    assert.deepEqual(result.config.trustProxy, { kind: 'hops', hops: 2 });
    assert.equal(result.config.httpMaxConnectionsPerAddress, 5);
    assert.equal(result.config.hlsMaxHeldPerAddress, 3);
    assert.equal(result.config.httpWriteStallTimeoutMs, 900);
    const list = loadConfig([], env);
    assert.ok(!list.help);
    assert.equal(list.config.trustProxy.kind, 'list');
  });

  it('reads environment variables, and flags win over them', () => {
    const env = { RTMP_PORT: '1940', MEDIA_HTTP_PORT: '8940', RTMP_APP: 'in', ON_PUBLISH_URL: 'http://web/hooks/on-publish', ON_PUBLISH_DONE_URL: 'http://web/done', HLS_DIR: '/tmp/hls' };
    const result = loadConfig(['--rtmp-port', '1941', '--idle-timeout', '5', '--hls-window', '4'], { ...env, HLS_MEMORY_SEGMENTS: '3' });
    assert.ok(!result.help);
    assert.equal(result.config.rtmpPort, 1941);
    assert.equal(result.config.httpPort, 8940);
    assert.equal(result.config.app, 'in');
    assert.equal(result.config.onPublishUrl, 'http://web/hooks/on-publish');
    assert.equal(result.config.onPublishDoneUrl, 'http://web/done');
    assert.equal(result.config.idleTimeoutSeconds, 5);
    assert.equal(result.config.hlsWindowSegments, 4);
    assert.equal(result.config.hlsMemorySegments, 3);
    assert.equal(result.config.hlsDir, '/tmp/hls');
  });

  it('answers --help', () => {
    assert.deepEqual(loadConfig(['--help'], {}), { help: true });
  });

  for (const [name, argv, pattern] of [
    ['an unknown flag', ['--nope', '1'], /Unknown option '--nope'/],
    ['a port out of range', ['--rtmp-port', '70000'], /--rtmp-port \/ RTMP_PORT/],
    ['a non-numeric timeout', ['--callback-timeout-ms', 'soon'], /--callback-timeout-ms/],
    ['an https callback', ['--on-publish', 'https://web/x'], /--on-publish \/ ON_PUBLISH_URL: must be an http:\/\/ URL/],
    ['an app with a slash', ['--app', 'a/b'], /--app \/ RTMP_APP/],
    ['a trust-proxy that is no address', ['--trust-proxy', 'proxy.example'], /--trust-proxy \/ TRUST_PROXY: "proxy.example" is not an address/],
    ['a zero connection cap', ['--http-max-connections', '0'], /--http-max-connections \/ HTTP_MAX_CONNECTIONS/],
    ['no segment in memory', ['--hls-memory-segments', '0'], /--hls-memory-segments \/ HLS_MEMORY_SEGMENTS/],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.throws(() => loadConfig([...argv], {}), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
    });
  }
});
