import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { supervise } from '../../../../scripts/lib/supervisor.mjs';

const node = (name: string, code: string) => ({ name, command: process.execPath, args: ['-e', code], env: process.env, cwd: process.cwd() });
const idle = 'setInterval(() => {}, 1000); process.on("SIGTERM", () => { console.log("bye"); process.exit(0); });';

describe('supervise', () => {
  it('stops the others when one child dies, and exits non-zero with its code', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const code = await supervise([node('web', idle), node('media', 'setTimeout(() => process.exit(3), 300)')], {
      log: (line) => lines.push(line),
    });
    assert.equal(code, 3);
    assert.ok(lines.some((l) => /media exited unexpectedly \(code 3\)/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /web stopped/.test(l)), lines.join('\n'));
    assert.ok(Date.now() - started < 8000);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const lines: string[] = [];
    const stubborn = 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000);';
    const code = await supervise([node('stubborn', stubborn), node('dies', 'setTimeout(() => process.exit(0), 500)')], {
      log: (line) => lines.push(line),
      graceMs: 500,
    });
    assert.equal(code, 1, 'an unexpected exit, even with code 0, fails the supervisor');
    assert.ok(lines.some((l) => /stubborn did not stop within 500 ms, killing it/.test(l)), lines.join('\n'));
  });

  it('a stop signal stops every child and resolves 0; reports each pid once started', async () => {
    const lines: string[] = [];
    const signals = new EventEmitter();
    const pids = new Map<string, number>();
    const done = supervise([node('web', idle), node('media', idle)], {
      log: (line) => lines.push(line),
      signals,
      onStarted: (name, pid) => pids.set(name, pid),
    });
    assert.deepEqual([...pids.keys()], ['web', 'media']);
    await new Promise((r) => setTimeout(r, 300));
    signals.emit('SIGINT', 'SIGINT');
    assert.equal(await done, 0);
    assert.ok(lines.includes('stopping (SIGINT)'), lines.join('\n'));
    // "code 0" once the child's handler is installed, "signal SIGTERM" if it was still starting.
    for (const name of ['web', 'media']) {
      assert.ok(lines.some((l) => new RegExp(`^${name} stopped \\((code 0|signal SIGTERM)\\)$`).test(l)), lines.join('\n'));
    }
    assert.equal(signals.listenerCount('SIGINT'), 0, 'listeners removed once done');
  });

  it('a child that cannot be spawned stops the others and fails', async () => {
    const lines: string[] = [];
    const missing = { name: 'missing', command: '/nonexistent/onair-binary', args: [], env: process.env, cwd: process.cwd() };
    const code = await supervise([node('web', idle), missing], { log: (line) => lines.push(line), signals: new EventEmitter() });
    assert.equal(code, 1);
    assert.ok(lines.some((l) => /missing exited unexpectedly \(could not start: spawn \/nonexistent\/onair-binary ENOENT\)/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /web stopped/.test(l)), lines.join('\n'));
  });

  it('a second stop signal kills what is still stopping', async () => {
    const lines: string[] = [];
    const signals = new EventEmitter();
    // The child says when its SIGTERM handler is installed (node may take a while to start here).
    const marker = join(tmpdir(), `onair-supervisor-${process.pid}-${Date.now()}`);
    const stubborn = `process.on("SIGTERM", () => {}); require("fs").writeFileSync(${JSON.stringify(marker)}, ""); setInterval(() => {}, 1000);`;
    const started = Date.now();
    const done = supervise([node('stubborn', stubborn)], { log: (line) => lines.push(line), signals, graceMs: 60_000 });
    while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 50));
    rmSync(marker);
    signals.emit('SIGINT', 'SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    signals.emit('SIGINT', 'SIGINT');
    assert.equal(await done, 0, 'a requested stop is still a clean exit');
    assert.ok(Date.now() - started < 30_000, 'did not wait for the grace period');
    assert.ok(lines.includes('SIGINT again: killing stubborn'), lines.join('\n'));
    assert.ok(lines.includes('stubborn stopped (signal SIGKILL)'), lines.join('\n'));
  });
});
