// Starts a server under test by kind; OnAir needs its build (made once per bench run).
import type { ServerKind } from './config.js';
import { startNginxRtmp } from './nginx-rtmp.js';
import { startOnAir, type OnAirBuild } from './onair.js';
import type { ServerOptions, ServerUnderTest } from './server.js';

export interface ServerFactory {
  /** Why OnAir cannot be measured, if it cannot. */
  onairUnavailable?: string;
  start(kind: ServerKind, options: ServerOptions): Promise<ServerUnderTest>;
}

export function serverFactory(build: OnAirBuild | Error): ServerFactory {
  const factory: ServerFactory = {
    start(kind, options) {
      if (kind === 'nginx-rtmp') return startNginxRtmp(options);
      if (build instanceof Error) return Promise.reject(build);
      return startOnAir(build, options);
    },
  };
  if (build instanceof Error) factory.onairUnavailable = build.message;
  return factory;
}

export const serverLabel: Record<ServerKind, string> = { onair: 'OnAir', 'nginx-rtmp': 'nginx-rtmp' };
