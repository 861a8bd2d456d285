// Runs the real media server (src/main.ts through tsx) as a child process on free loopback ports.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { startProcess, type ManagedProcess } from './process.js';

export const mainPath = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface MediaServerProcess {
  readonly process: ManagedProcess;
  readonly rtmpPort: number;
  readonly httpPort: number;
  /** The MEDIA_SERVER_API_TOKEN it runs with (the env's, else a random one). */
  readonly apiToken: string;
  /** fetch() of an /api/ path with the bearer token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  rtmpUrl(name: string): string;
  httpUrl(path: string): string;
  stop(): Promise<number | null>;
}

export async function startMediaServerProcess(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<MediaServerProcess> {
  const rtmpPort = await freePort();
  const httpPort = await freePort();
  const apiToken = env.MEDIA_SERVER_API_TOKEN ?? randomBytes(16).toString('hex');
  const child = startProcess(
    process.execPath,
    ['--import', 'tsx', mainPath, '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), ...args],
    { env: { ...process.env, MEDIA_SERVER_API_TOKEN: apiToken, ...env } },
  );
  try {
    await child.waitForOutput(/media server listening/, 20_000);
  } catch (error) {
    await child.stop(); // never leave a half-started server behind
    throw error;
  }
  return {
    process: child,
    rtmpPort,
    httpPort,
    apiToken,
    api: (path, init = {}) => fetch(`http://127.0.0.1:${httpPort}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${apiToken}` } }),
    rtmpUrl: (name) => `rtmp://127.0.0.1:${rtmpPort}/live/${name}`,
    httpUrl: (path) => `http://127.0.0.1:${httpPort}${path}`,
    stop: () => child.stop(),
  };
}
