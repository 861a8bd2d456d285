// The signed URLs a page hands to a viewer who may watch (access.ts decided that first).
import { headers } from 'next/headers';
import { getEnv } from '../env';
import { requestOrigin } from '../request-origin';
import { recordingsBase, signedFileUrl } from './access';
import type { RecordingRef } from './layout';

export async function signedUrlFor(ref: RecordingRef, file: string): Promise<string> {
  const env = getEnv();
  const key = env.MEDIA_SERVER_API_TOKEN;
  if (!key) throw new Error('MEDIA_SERVER_API_TOKEN is not configured: recordings cannot be served');
  const base = recordingsBase({
    publicRecordingsUrl: env.PUBLIC_RECORDINGS_URL,
    publicHlsUrl: env.PUBLIC_HLS_URL,
    requestHost: requestOrigin(await headers()).host,
    defaultServer: { port: env.MEDIA_HTTP_PORT, app: env.RTMP_APP },
  });
  return signedFileUrl(base, key, ref, file, Math.floor(Date.now() / 1000));
}
