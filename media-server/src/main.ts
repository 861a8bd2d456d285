// Entry point: `onair-media-server [flags]` (bin/ imports main from dist/), or directly with
// `node --import tsx media-server/src/main.ts [flags]`. Returns the process exit code:
// 0 after a clean SIGINT/SIGTERM shutdown or --help, 2 for bad configuration, 1 if start-up fails.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, usage } from './config.js';
import { startMediaServer } from './index.js';
import { createConsoleLogger } from './logger.js';

export async function main(argv: string[]): Promise<number> {
  let result;
  try {
    result = loadConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`onair-media-server: ${error.message}\n(see --help)\n`);
    return 2;
  }
  if (result.help) {
    process.stdout.write(usage);
    return 0;
  }
  const { config } = result;
  const logger = createConsoleLogger(config.logLevel);
  if (!config.onPublishUrl) {
    logger.warn('no --on-publish URL configured: every publish is allowed');
  }
  if (!config.apiToken) {
    logger.warn('no --api-token / MEDIA_SERVER_API_TOKEN configured: the control API under /api/ is off (every request gets 401)');
  }
  let server;
  try {
    server = await startMediaServer(config, logger);
  } catch (error) {
    logger.error('start-up failed', { error: error instanceof Error ? error.message : String(error) });
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info('shutting down', { signal });
  // A terminal's Ctrl-C reaches this process and a wrapper such as `npm start` at once, and the
  // wrapper passes its own signal on: a second signal within a moment of the first is that same
  // request, and the drain (ending live streams, posting on_publish_done) goes on. A signal after
  // that means "now", still a requested stop: exit 0.
  const firstAt = Date.now();
  const onRepeat = (): void => {
    if (Date.now() - firstAt < SAME_STOP_REQUEST_MS) return;
    logger.warn('second signal: exiting without waiting for the drain');
    process.exit(0);
  };
  process.on('SIGINT', onRepeat);
  process.on('SIGTERM', onRepeat);
  await server.close();
  logger.info('stopped');
  return 0;
}

/** Signals this close together are one stop request (see the drain above). */
const SAME_STOP_REQUEST_MS = 2000;

function isDirectRun(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isDirectRun()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
