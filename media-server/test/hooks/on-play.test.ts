// on_play / on_play_done against a real HTTP server: 2xx allows; 3xx, 4xx, 5xx, a timeout and an
// unreachable server refuse (fail closed); on_play_done is posted once, with nginx-rtmp's form.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { encodeNotifyForm, warmUpNotifyClient, type NotifyParams } from '../../src/hooks/notify-form.js';
import { createPlayHooks } from '../../src/hooks/on-play.js';
import { createMemoryLogger } from '../../src/logger.js';
import { startHookServer, type HookAnswer, type HookServer } from '../helpers/hook-server.js';
import { freePort } from '../helpers/ports.js';

const params = (name: string, args = ''): NotifyParams => ({
  app: 'live',
  flashVer: 'LNX 9,0,124,2',
  swfUrl: '',
  tcUrl: 'rtmp://127.0.0.1/live',
  pageUrl: '',
  addr: '10.0.0.7',
  clientId: 12,
  name,
  args,
  publishType: '',
});
const play = { start: 4294965296, duration: 4294967295, reset: false };

/** The bodies nginx-rtmp sent (fixtures/nginx-rtmp-play-callbacks.txt), by path. */
function capturedBody(path: '/on_play' | '/on_play_done'): string {
  const text = readFileSync(new URL('../fixtures/nginx-rtmp-play-callbacks.txt', import.meta.url), 'latin1');
  const request = text.split('=== REQUEST\n').find((r) => r.startsWith(`POST ${path} `)) ?? '';
  return (request.split('\r\n\r\n')[1] ?? '').trimEnd();
}

describe('on_play form', () => {
  it('is byte for byte what nginx-rtmp sent for the same play', () => {
    const same: NotifyParams = { ...params('chan', 'x=1'), flashVer: 'LNX 9,0,124,2', tcUrl: 'rtmp://127.0.0.1:18935/live', addr: '127.0.0.1', clientId: 2 };
    assert.equal(encodeNotifyForm('play', same, { start: -2000 >>> 0, duration: 0, reset: false }), capturedBody('/on_play'));
    assert.equal(encodeNotifyForm('play_done', same), capturedBody('/on_play_done'));
  });

  it('is nginx-rtmp\'s: call=play, name, start/duration/reset as uint32/0|1, then the URL\'s args', () => {
    assert.equal(
      encodeNotifyForm('play', params('alice', 'x=1'), play),
      'app=live&flashver=LNX%209,0,124,2&swfurl=&tcurl=rtmp://127.0.0.1/live&pageurl=&addr=10.0.0.7&clientid=12&call=play&name=alice&start=4294965296&duration=4294967295&reset=0&x=1',
    );
    assert.equal(
      encodeNotifyForm('play_done', params('alice')),
      'app=live&flashver=LNX%209,0,124,2&swfurl=&tcurl=rtmp://127.0.0.1/live&pageurl=&addr=10.0.0.7&clientid=12&call=play_done&name=alice',
    );
  });
});

describe('on_play / on_play_done against a real HTTP server', () => {
  let server: HookServer;
  const answers: Record<string, HookAnswer> = {
    ok: { status: 200 },
    moved: { status: 302, location: 'rtmp://elsewhere/live/x' },
    forbidden: { status: 403 },
    broken: { status: 500 },
    slow: { status: 200, delayMs: 2000 },
  };
  before(async () => {
    await warmUpNotifyClient();
    server = await startHookServer((r) => (r.path.startsWith('/done') ? { status: 200 } : (answers[r.form.get('name') ?? ''] ?? { status: 404 })));
  });
  after(async () => server?.close());
  const hooks = () => createPlayHooks({ onPlayUrl: server.url('/play'), onPlayDoneUrl: server.url('/done'), timeoutMs: 500, logger: createMemoryLogger() });

  it('allows on 2xx and posts on_play_done exactly once', async () => {
    const decision = await hooks().authorize(params('ok'), play);
    assert.ok(decision.allow);
    await Promise.all([decision.done('disconnect'), decision.done('unpublish')]);
    await decision.done('again');
    const dones = server.requests.filter((r) => r.path === '/done' && r.form.get('name') === 'ok');
    assert.equal(dones.length, 1);
    assert.equal(dones[0]?.form.get('call'), 'play_done');
  });

  for (const [name, reason] of [['moved', /answered 302/], ['forbidden', /answered 403/], ['broken', /answered 500/], ['slow', /timed out after 500 ms/]] as const) {
    it(`refuses: ${name}`, async () => {
      const decision = await hooks().authorize(params(name), play);
      assert.equal(decision.allow, false);
      assert.match(decision.reason, reason);
    });
  }

  it('refuses when the web app is unreachable, and allows when no on_play is configured', async () => {
    const down = createPlayHooks({ onPlayUrl: `http://127.0.0.1:${await freePort()}/play`, timeoutMs: 500, logger: createMemoryLogger() });
    const decision = await down.authorize(params('ok'), play);
    assert.equal(decision.allow, false);
    assert.match(decision.reason, /unreachable/);
    const open = await createPlayHooks({ timeoutMs: 500, logger: createMemoryLogger() }).authorize(params('ok'), play);
    assert.ok(open.allow);
    await open.done('disconnect');
  });
});
