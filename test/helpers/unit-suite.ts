// `npm run test:unit` (scripts/run-tests.mjs --unit) runs every unit test file in this one process: starting a node
// with tsx per file cost several times more CPU than the tests themselves. The files share the process, so a unit
// test puts back any global it changes (process.env included); `npm test` still runs each file in its own process.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import './no-child-processes';

for (const file of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    // A file that cannot load fails the run, and the other files still run.
    console.error(`unit-suite: ${file} did not load:`, error);
    process.exitCode = 1;
  }
}
