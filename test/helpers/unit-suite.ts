// `npm run test:unit` (scripts/run-tests.mjs --unit) runs every unit test file in this one process: starting a node
// with tsx per file cost several times more CPU than the tests themselves. The files share the process, so a unit
// test puts back any global it changes (process.env included); `npm test` still runs each file in its own process.
import { resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import './no-child-processes';

// Top-level tests run one at a time, in the order they were registered. This first one holds that one slot until
// every file is imported, so no test runs while later files load (loading blocks the event loop, and the tests
// with real timers would feel it); a file that cannot load fails it, and the other files still run.
let loaded!: (errors: string[]) => void;
const loading = new Promise<string[]>((done) => (loaded = done));
test('every unit test file loads', async () => {
  const errors = await loading;
  if (errors.length > 0) throw new Error(errors.join('\n'));
});

const errors: string[] = [];
for (const file of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    errors.push(`${file} did not load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
loaded(errors);
