// The unit suite's rule, enforced (test/README.md): a unit test starts no process (no web app, media server, nginx,
// ffmpeg, Chromium or PostgreSQL), so in the unit suite's process every way to start one throws. A test that needs
// one belongs under an integration/ or e2e/ folder.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const starters = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

for (const name of starters) {
  Object.defineProperty(childProcess, name, {
    value: (command: unknown) => {
      throw new Error(`unit tests start no processes (${name} ${String(command)}): move this test under an integration/ or e2e/ folder`);
    },
  });
}
// `import { spawn } from 'node:child_process'` binds to the ES module's exports: copy the replacements there too.
syncBuiltinESMExports();
