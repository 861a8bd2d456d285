// handleRecordDone in-process, on a real database: the refusals that need no ffmpeg (secret, form,
// untrusted paths) and nginx-rtmp mode's low-disk drop, which happens before any remux.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithChannel } from '../../../lib/channels/create-user-with-channel';
import { handleRecordDone, parseRecordDoneForm, recordingIdOf, type RecordDoneContext } from '../../../lib/recordings/record-done';
import { manualClock } from '../../helpers/clock';
import { DATABASE_KINDS, openTestDb, type OpenTestDb } from '../../helpers/database';
import { silentLogger } from '../../helpers/logger';

const SECRET = 'a-callback-secret-for-tests';

function request(fields: Record<string, string>, secret = SECRET): Request {
  return new Request(`http://127.0.0.1/api/rtmp/on-record-done?secret=${secret}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('parseRecordDoneForm', () => {
  it('nginx-rtmp writes its own fields first: a later duplicate (a publish argument) never wins', () => {
    assert.deepEqual(parseRecordDoneForm('app=onair_hls&call=record_done&recorder=&name=alice&path=%2Fr%2Falice-1.flv&path=%2Fetc%2Fpasswd'), {
      call: 'record_done', app: 'onair_hls', name: 'alice', path: '/r/alice-1.flv', reason: '', broadcast: '',
    });
    assert.equal(parseRecordDoneForm('call=record_done'), null);
    assert.equal(parseRecordDoneForm(`call=record_done&path=${'a'.repeat(3000)}`), null);
  });
  it('recording ids from nginx-rtmp file names are time-sortable and of the layout', () => {
    assert.equal(recordingIdOf('alice-1796000000.flv', '1796000000'), (1_796_000_000_000).toString(36));
    assert.match(recordingIdOf('alice.flv', null), /^[a-f0-9]{16}$/);
    assert.ok(recordingIdOf('a-1796000001.flv', '1796000001') > recordingIdOf('a-1796000000.flv', '1796000000'));
  });
});

for (const kind of DATABASE_KINDS) {
  describe(`handleRecordDone (${kind})`, () => {
    let open: OpenTestDb;
    let dir: string;
    let context: RecordDoneContext;
    const clock = manualClock(Date.UTC(2026, 11, 4));

    before(async () => {
      open = await openTestDb(kind);
      dir = await mkdtemp(join(tmpdir(), 'onair-record-done-unit-'));
      context = { db: open.db, clock, logger: silentLogger, callbackSecret: SECRET, recordDir: dir, recordPath: dir, minFreeGb: 2, freeBytes: async () => 1024 ** 3 };
      await createUserWithChannel(open.db, { username: 'lowdisk', passwordHash: null });
    });
    after(async () => {
      await open?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('wrong or missing secret: 403; not record_done or no path: 400', async () => {
      assert.equal((await handleRecordDone(request({ call: 'record_done', path: '/x' }, 'nope'), context)).status, 403);
      assert.equal((await handleRecordDone(new Request('http://127.0.0.1/x', { method: 'POST', body: 'call=record_done&path=/x' }), context)).status, 403);
      assert.equal((await handleRecordDone(request({ call: 'publish', path: '/x' }), context)).status, 400);
      assert.equal((await handleRecordDone(request({ call: 'record_done' }), context)).status, 400);
      assert.equal((await handleRecordDone(request({ call: 'record_done', name: 'lowdisk', path: join(dir, '..', 'lowdisk-1.flv') }), context)).status, 400);
    });

    it('nginx-rtmp FLV with less than RECORDINGS_MIN_FREE_GB left after the remux: dropped (FLV deleted), the dashboard notice set', async () => {
      const flv = join(dir, 'lowdisk-1796000000.flv');
      await writeFile(flv, Buffer.alloc(1024));
      const answer = await handleRecordDone(request({ app: 'onair_hls', call: 'record_done', name: 'lowdisk', path: flv }), context);
      assert.equal(answer.status, 200);
      assert.match(answer.body, /dropped \(disk-low\)/);
      assert.equal(existsSync(flv), false);
      const channel = await open.db.channel.findUniqueOrThrow({ where: { slug: 'lowdisk' } });
      assert.equal(channel.recordingLowDiskAt?.getTime(), clock.now());
      assert.equal(await open.db.broadcast.count(), 0);
    });
  });
}
