// Loaded by `npm run test:unit` (scripts/run-tests.mjs --unit) into every test file's process: a unit test starts
// no process (no web app, media server, nginx, ffmpeg, Chromium or PostgreSQL), so every way to start one throws.
// A test that needs one belongs under an integration/ or e2e/ folder (test/README.md).
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const starters = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

// node's test runner sets NODE_TEST_CONTEXT in the processes it runs test files in; the runner itself must still
// start those processes.
if (process.env.NODE_TEST_CONTEXT) {
  for (const name of starters) {
    Object.defineProperty(childProcess, name, {
      value: (command: unknown) => {
        throw new Error(`unit tests start no processes (${name} ${String(command)}): move this test under an integration/ or e2e/ folder`);
      },
    });
  }
  // `import { spawn } from 'node:child_process'` binds to the ES module's exports: copy the replacements there too.
  syncBuiltinESMExports();
}
