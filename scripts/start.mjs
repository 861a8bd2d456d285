#!/usr/bin/env node
// `npm start`: the whole platform on one machine. Creates data/ (SQLite database, generated
// secrets), applies migrations, builds what is stale, then runs the web app and the bundled
// media server under one supervisor. `npm run dev` (--dev) runs both with hot reload instead.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './lib/build-if-needed.mjs';
import { resolvePlatformEnv } from './lib/platform-env.mjs';
import { supervise } from './lib/supervisor.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');
const log = (line) => console.log(`[onair] ${line}`);
const run = (args, env) => execFileSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });

const env = resolvePlatformEnv(root);
const bundled = env.MEDIA_SERVER !== 'nginx-rtmp';

log('applying database migrations');
run([join(root, 'scripts', 'prisma-migrate.mjs'), 'deploy'], env);

const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
if (!dev) {
  const nextSources = ['app', 'lib', 'public', 'prisma', 'next.config.js', 'package.json'].map((p) => join(root, p));
  if (isStale(join(root, '.next', 'BUILD_ID'), nextSources)) {
    log('building the web app (first start, or sources changed; takes a minute or two)');
    run([nextBin, 'build'], { ...env, NODE_ENV: 'production' });
  }
  if (bundled && isStale(join(root, 'media-server', 'dist', 'main.js'), [join(root, 'media-server', 'src')])) {
    log('building the media server');
    run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'media-server', 'tsconfig.build.json')], env);
  }
}

const callbackBase = `http://127.0.0.1:${env.PORT}/api/rtmp`;
const secret = encodeURIComponent(env.RTMP_CALLBACK_SECRET);
const mediaArgs = [
  '--rtmp-port', env.RTMP_PORT,
  '--http-port', env.MEDIA_HTTP_PORT,
  '--app', env.RTMP_APP,
  '--on-publish', `${callbackBase}/on-publish?secret=${secret}`,
  '--on-publish-done', `${callbackBase}/on-publish-done?secret=${secret}`,
];

const specs = [
  {
    name: 'web',
    command: process.execPath,
    args: [nextBin, dev ? 'dev' : 'start', '--port', env.PORT],
    env: { ...env, NODE_ENV: dev ? 'development' : 'production' },
    cwd: root,
  },
];
if (bundled) {
  specs.push({
    name: 'media-server',
    command: process.execPath,
    args: dev
      ? ['--import', 'tsx', '--watch', join(root, 'media-server', 'src', 'main.ts'), ...mediaArgs]
      : [join(root, 'media-server', 'bin', 'onair-media-server.js'), ...mediaArgs],
    env,
    cwd: root,
  });
}

const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
log(`web app:      ${publicUrl}  (sign up there to get a channel and a stream key)`);
if (bundled) {
  log(`RTMP server:  ${env.PUBLIC_RTMP_URL ?? `rtmp://<this machine>:${env.RTMP_PORT}/${env.RTMP_APP}`}  (OBS: Settings -> Stream -> Service: Custom)`);
  log(`HLS:          ${env.PUBLIC_HLS_URL ?? `http://<this machine>:${env.MEDIA_HTTP_PORT}/${env.RTMP_APP}`}`);
} else {
  log('MEDIA_SERVER=nginx-rtmp: not starting the bundled media server (see README, "nginx-rtmp")');
}
log('stream key:   Dashboard -> Stream setup, after signing in. Ctrl-C stops everything.');

process.exitCode = await supervise(specs, { log });
