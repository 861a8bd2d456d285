import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { createDb, type Db } from '../../../lib/db';
import { getStreamHealth, ingestHints, parseIngestDetails, type IngestDetails } from '../../../lib/live/stream-health';
import { createTestDatabase, type TestDatabase } from '../../helpers/database';

const good: IngestDetails = {
  videoCodec: 'h264', audioCodec: 'aac', width: 1280, height: 720, declaredFps: 30, measuredFps: 29.8,
  bitrateKbps: 2500, encoder: 'obs-output module (libobs version 29.1.3)', startedAt: '2026-01-01T00:00:00.000Z',
};

describe('stream health', () => {
  describe('ingestHints', () => {
    const cases: Array<{ name: string; details: Partial<IngestDetails>; expect: RegExp[] }> = [
      { name: 'a healthy stream has nothing to say', details: {}, expect: [] },
      { name: 'no video', details: { videoCodec: null }, expect: [/No video is arriving/] },
      { name: 'HEVC', details: { videoCodec: 'h265' }, expect: [/H265: not every browser/] },
      { name: 'no audio', details: { audioCodec: null }, expect: [/No audio track/] },
      { name: 'encoder overloaded', details: { measuredFps: 18 }, expect: [/18\.0 fps although OBS is set to 30 fps/] },
      { name: 'slightly under is fine', details: { measuredFps: 27 }, expect: [] },
      { name: 'huge bitrate', details: { bitrateKbps: 20_000 }, expect: [/20000 kbps/] },
      { name: 'several at once', details: { audioCodec: null, videoCodec: 'av1' }, expect: [/AV1/, /No audio/] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const hints = ingestHints({ ...good, ...c.details });
        assert.equal(hints.length, c.expect.length, hints.join(' | '));
        c.expect.forEach((pattern, i) => assert.match(hints[i] ?? '', pattern));
      });
    }
  });

  it('reads the media server fields leniently', () => {
    const details = parseIngestDetails({
      app: 'live', name: 'alice',
      details: { app: 'live', name: 'alice', videoCodec: 'h264', audioCodec: null, width: 'wide', height: 240, declaredFps: 30, measuredFps: 30.1, measuredBitrateKbps: 512.5, encoder: 'Lavf59.27.100', extra: true },
    });
    assert.deepEqual(details, {
      videoCodec: 'h264', audioCodec: null, width: null, height: 240, declaredFps: 30, measuredFps: 30.1,
      bitrateKbps: 512.5, encoder: 'Lavf59.27.100', startedAt: null,
    });
  });

  describe('getStreamHealth (real database, real HTTP media server API)', () => {
    let database: TestDatabase;
    let db: Db;
    let server: Server;
    let apiUrl: string;
    let streams: unknown = [];
    let channel: Awaited<ReturnType<typeof createUserWithChannel>>['channel'];

    before(async () => {
      database = await createTestDatabase('sqlite');
      db = createDb(database.url);
      ({ channel } = await createUserWithChannel(db, { username: 'alice', passwordHash: null }));
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(streams)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      assert.ok(address && typeof address === 'object');
      apiUrl = `http://127.0.0.1:${address.port}/api/streams`;
    });

    after(async () => {
      await new Promise((resolve) => server.close(resolve));
      await db.$disconnect();
      await database.cleanup();
    });

    it('offline: no peak, the media server has nothing', async () => {
      streams = [];
      const health = await getStreamHealth({ db, channel, viewers: 0, mediaServer: 'bundled', mediaServerApiUrl: apiUrl });
      assert.deepEqual(health, { slug: 'alice', isLive: false, liveSince: null, lastLiveAt: null, viewers: 0, peakViewers: null, ingest: { state: 'not-receiving' }, hints: [] });
    });

    it('live: uptime start, peak from the session, the stream as the media server sees it', async () => {
      const since = new Date('2026-01-01T10:00:00Z');
      const live = await db.channel.update({ where: { id: channel.id }, data: { isLive: true, liveSince: since, lastLiveAt: since } });
      await db.streamSession.create({ data: { channelId: channel.id, startedAt: since, peakViewers: 7 } });
      streams = { streams: [
        { app: 'live', name: 'bob', videoCodec: 'h264' },
        { app: 'live', name: 'alice', videoCodec: 'h264', audioCodec: null, width: 320, height: 240, declaredFps: 30, measuredFps: 30, measuredBitrateKbps: 600 },
      ] };
      const health = await getStreamHealth({ db, channel: live, viewers: 3, mediaServer: 'bundled', mediaServerApiUrl: apiUrl });
      assert.equal(health.liveSince, since.toISOString());
      assert.equal(health.peakViewers, 7);
      assert.equal(health.ingest.state, 'receiving');
      assert.equal(health.ingest.state === 'receiving' && health.ingest.details.width, 320);
      assert.deepEqual(health.hints.length, 1);
      assert.match(health.hints[0] ?? '', /No audio/);
    });

    it('says so when the media server cannot be asked, or is nginx-rtmp', async () => {
      const down = await getStreamHealth({ db, channel, viewers: 0, mediaServer: 'bundled', mediaServerApiUrl: 'http://127.0.0.1:9/api/streams' });
      assert.equal(down.ingest.state, 'unavailable');
      assert.match(down.ingest.state === 'unavailable' ? down.ingest.reason : '', /could not be asked/);
      const nginx = await getStreamHealth({ db, channel, viewers: 0, mediaServer: 'nginx-rtmp', mediaServerApiUrl: apiUrl });
      assert.match(nginx.ingest.state === 'unavailable' ? nginx.ingest.reason : '', /nginx-rtmp/);
    });
  });
});
