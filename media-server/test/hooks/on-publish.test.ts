import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { warmUpNotifyClient, type NotifyParams } from '../../src/hooks/notify-form.js';
import { createPublishHooks } from '../../src/hooks/on-publish.js';
import { createMemoryLogger } from '../../src/logger.js';
import { startHookServer, type HookAnswer, type HookServer } from '../helpers/hook-server.js';
import { freePort } from '../helpers/ports.js';

const params = (name: string, args = ''): NotifyParams => ({
  app: 'live',
  flashVer: 'FMLE/3.0 (compatible; test)',
  swfUrl: '',
  tcUrl: 'rtmp://127.0.0.1/live',
  pageUrl: '',
  addr: '127.0.0.1',
  clientId: 3,
  name,
  args,
  publishType: 'live',
});

describe('on_publish / on_publish_done against a real HTTP server', () => {
  let server: HookServer;
  const answers: Record<string, HookAnswer> = {
    ok: { status: 204 },
    move: { status: 302, location: 'renamed' },
    relay: { status: 302, location: 'rtmp://elsewhere/live/x' },
    traversal: { status: 307, location: '../x' },
    nolocation: { status: 301 },
    forbidden: { status: 403 },
    broken: { status: 500 },
    slow: { status: 200, delayMs: 2000 },
  };
  before(async () => {
    await warmUpNotifyClient(); // as index.ts does at start-up: the timeouts below are short
    server = await startHookServer((r) => (r.path.startsWith('/done') ? { status: 200 } : (answers[r.form.get('name') ?? ''] ?? { status: 404 })));
  });
  after(async () => server?.close());

  const hooks = () => createPublishHooks({ onPublishUrl: server.url('/publish'), onPublishDoneUrl: server.url('/done'), timeoutMs: 500, logger: createMemoryLogger() });

  const table: Array<{ name: string; allow: boolean; publicName?: string; reason?: RegExp }> = [
    { name: 'ok', allow: true, publicName: 'ok' },
    { name: 'move', allow: true, publicName: 'renamed' },
    { name: 'relay', allow: false, reason: /unusable Location/ },
    { name: 'traversal', allow: false, reason: /unusable Location/ },
    { name: 'nolocation', allow: false, reason: /answered 301/ },
    { name: 'forbidden', allow: false, reason: /answered 403/ },
    { name: 'broken', allow: false, reason: /answered 500/ },
    { name: 'unknown', allow: false, reason: /answered 404/ },
    { name: 'slow', allow: false, reason: /timed out after 500 ms/ },
  ];
  for (const { name, allow, publicName, reason } of table) {
    it(`${name}: ${allow ? `allows as ${publicName}` : 'denies'}`, async () => {
      const decision = await hooks().authorize(params(name));
      assert.equal(decision.allow, allow);
      if (decision.allow) assert.equal(decision.name, publicName);
      else assert.match(decision.reason, reason ?? /./);
    });
  }

  it('denies when the callback server is down', async () => {
    const port = await freePort();
    const decision = await createPublishHooks({ onPublishUrl: `http://127.0.0.1:${port}/x`, timeoutMs: 500, logger: createMemoryLogger() }).authorize(params('ok'));
    assert.equal(decision.allow, false);
    assert.match(decision.allow ? '' : decision.reason, /unreachable: ECONNREFUSED/);
  });

  it('allows everything without an on_publish URL', async () => {
    const decision = await createPublishHooks({ timeoutMs: 500, logger: createMemoryLogger() }).authorize(params('anything'));
    assert.equal(decision.allow, true);
  });

  it('posts on_publish_done once, with the original name and args, however often done() is called', async () => {
    const decision = await hooks().authorize(params('move', 'k=1'));
    assert.ok(decision.allow);
    await Promise.all([decision.done('unpublish'), decision.done('disconnect'), decision.done('shutdown')]);
    const done = server.requests.filter((r) => r.path === '/done' && r.form.get('name') === 'move');
    assert.equal(done.length, 1);
    assert.match(done[0]!.body, /&call=publish_done&name=move&k=1$/);
  });

  it('logs (and survives) a failing on_publish_done', async () => {
    const logger = createMemoryLogger();
    const port = await freePort();
    const decision = await createPublishHooks({ onPublishDoneUrl: `http://127.0.0.1:${port}/done`, timeoutMs: 300, logger }).authorize(params('x'));
    assert.ok(decision.allow);
    await decision.done('disconnect');
    assert.match(logger.lines.join('\n'), /WARN {2}on_publish_done failed name=x clientid=3 reason=disconnect key=… error=/);
  });

  it('logs the public name of a renamed publish and only the last 4 characters of the key', async () => {
    const logger = createMemoryLogger();
    const renamer = await startHookServer((r) => (r.path === '/publish' ? { status: 302, location: 'public-cam' } : { status: 200 }));
    try {
      const key = 'live_0123456789abcdefWXYZ';
      const decision = await createPublishHooks({ onPublishUrl: renamer.url('/publish'), onPublishDoneUrl: renamer.url('/done'), timeoutMs: 2000, logger }).authorize(params(key));
      assert.ok(decision.allow && decision.name === 'public-cam');
      await decision.done('unpublish');
      const log = logger.lines.join('\n');
      assert.match(log, /INFO {2}on_publish_done sent name=public-cam clientid=3 reason=unpublish key=…WXYZ status=200/);
      assert.ok(!log.includes(key.slice(0, -4)), log);
    } finally {
      await renamer.close();
    }
  });
});
