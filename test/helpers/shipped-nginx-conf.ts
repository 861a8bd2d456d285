// The shipped media-server/nginx/nginx.conf rendered the way its header and the README say:
// envsubst with exactly the documented placeholder list, so nginx's own $variables stay as they are.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SHIPPED_NGINX_CONF = join(root, 'media-server', 'nginx', 'nginx.conf');
/** The placeholder list of the README's envsubst command, in the same order. */
export const NGINX_CONF_PLACEHOLDERS = '${RTMP_PORT} ${HTTP_PORT} ${HLS_PATH} ${ONAIR_URL} ${RTMP_CALLBACK_SECRET} ${CONTROL_PORT} ${RECORD_PATH}';

export interface ShippedNginxConfValues {
  readonly RTMP_PORT: string;
  readonly HTTP_PORT: string;
  readonly HLS_PATH: string;
  readonly ONAIR_URL: string;
  readonly RTMP_CALLBACK_SECRET: string;
  readonly CONTROL_PORT: string;
  readonly RECORD_PATH: string;
}

/** The rendered file; throws when a placeholder was left unfilled (a new one the list misses). */
export function renderShippedNginxConf(values: ShippedNginxConfValues): string {
  const rendered = execFileSync('envsubst', [NGINX_CONF_PLACEHOLDERS], {
    input: readFileSync(SHIPPED_NGINX_CONF, 'utf8'),
    encoding: 'utf8',
    env: { ...process.env, ...values },
  });
  if (rendered.includes('${')) throw new Error('the shipped nginx.conf has a placeholder the list does not fill');
  return rendered;
}
