// Debian's nginx + libnginx-mod-rtmp as the reference server, with its own config and prefix in a
// temp dir (never the system service). One worker process, as usual for nginx-rtmp with HLS.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../media-server/test/helpers/ports.js';
import { startProcess, waitForPort } from '../../media-server/test/helpers/process.js';
import { trackPid, untrackPid } from './cleanup.js';
import type { ServerOptions, ServerUnderTest } from './server.js';

export const nginxModulePath = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export function nginxConfig(prefix: string, rtmpPort: number, httpPort: number, options: ServerOptions): string {
  const hls = join(prefix, 'hls');
  return `load_module ${nginxModulePath};
daemon off;
master_process on;
worker_processes 1;
user root;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
rtmp {
  server {
    listen 127.0.0.1:${rtmpPort};
    chunk_size 4096;
    application live {
      live on;
      record off;
      hls on;
      hls_path ${hls};
      hls_fragment ${options.segmentMs}ms;
      hls_playlist_length ${options.segmentMs * options.window}ms;
    }
  }
}
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'tmp', 'body')};
  proxy_temp_path ${join(prefix, 'tmp', 'proxy')};
  fastcgi_temp_path ${join(prefix, 'tmp', 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'tmp', 'uwsgi')};
  scgi_temp_path ${join(prefix, 'tmp', 'scgi')};
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:${httpPort};
    location /hls/ {
      alias ${hls}/;
      add_header Cache-Control no-cache;
      add_header Access-Control-Allow-Origin *;
    }
  }
}
`;
}

export async function startNginxRtmp(options: ServerOptions): Promise<ServerUnderTest> {
  const prefix = mkdtempSync(join(tmpdir(), 'onair-bench-nginx-'));
  for (const dir of ['hls', 'logs', 'tmp']) mkdirSync(join(prefix, dir));
  const [rtmpPort, httpPort] = [await freePort(), await freePort()];
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig(prefix, rtmpPort, httpPort, options));
  const proc = startProcess('nginx', ['-c', conf, '-p', prefix]);
  trackPid(proc.pid);
  try {
    await waitForPort(rtmpPort, 10_000);
    await waitForPort(httpPort, 10_000);
  } catch (error) {
    await proc.stop(1_000);
    untrackPid(proc.pid);
    throw new Error(`nginx-rtmp did not start: ${String(error)}\n${proc.output()}`);
  }
  return {
    name: 'nginx-rtmp',
    pid: proc.pid,
    rtmpUrl: (key) => `rtmp://127.0.0.1:${rtmpPort}/live/${key}`,
    playlistUrl: (key) => `http://127.0.0.1:${httpPort}/hls/${key}.m3u8`,
    async stop() {
      // SIGTERM to the master (our child) makes it stop its worker; SIGKILL after 5 s.
      await proc.stop(5_000);
      untrackPid(proc.pid);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export function nginxVersions(): string {
  // `nginx -v` prints its version on stderr.
  const nginx = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  const module = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'libnginx-mod-rtmp'], { encoding: 'utf8' });
  return `${`${nginx.stdout}${nginx.stderr}`.replace('nginx version: ', '').trim()} + libnginx-mod-rtmp ${module.trim()}`;
}
