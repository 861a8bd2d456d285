// Where players are sent for /recordings/<token>/... (CONTRACT-15 item 5): the media server's HLS
// port as npm start runs it (no PUBLIC_* set), the origin of PUBLIC_HLS_URL, or PUBLIC_RECORDINGS_URL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordingsBase } from '../../../lib/recordings/access';

describe('recordingsBase', () => {
  const server = { port: 8935, app: 'live' };

  it("npm start's default: the media server's HTTP port on the host the browser used", () => {
    assert.equal(recordingsBase({ publicRecordingsUrl: undefined, publicHlsUrl: undefined, requestHost: '192.168.1.20:3000', defaultServer: server }), 'http://192.168.1.20:8935');
    assert.equal(recordingsBase({ publicRecordingsUrl: undefined, publicHlsUrl: undefined, requestHost: '[::1]:3000', defaultServer: { port: 9000, app: 'show' } }), 'http://[::1]:9000');
  });

  it('the origin of PUBLIC_HLS_URL (the media server serves /live/ and /recordings/ side by side)', () => {
    assert.equal(recordingsBase({ publicRecordingsUrl: undefined, publicHlsUrl: 'https://stream.example.com/live/', requestHost: 'ignored', defaultServer: server }), 'https://stream.example.com');
  });

  it('PUBLIC_RECORDINGS_URL wins, without a trailing slash', () => {
    assert.equal(recordingsBase({ publicRecordingsUrl: 'https://media.example.com/vod/', publicHlsUrl: 'https://stream.example.com/live', requestHost: null, defaultServer: server }), 'https://media.example.com/vod');
  });
});
