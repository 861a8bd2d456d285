import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { supervise } from '../../scripts/lib/supervisor.mjs';

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
});
