// on_publish_done: tells the web app an accepted publish ended (for any reason). Same form as
// on_publish with call=publish_done and no type field, carrying the ORIGINAL name and args as
// nginx-rtmp does. Posted once; failures are logged, never retried (the web app also expires
// streams whose media server stopped talking).
import { redactKey, type Logger } from '../logger.js';
import type { StreamEndReason } from '../media/types.js';
import { encodeNotifyForm, postNotifyForm, type NotifyParams } from './notify-form.js';

export interface PublishDoneOptions {
  readonly url: string | undefined;
  readonly params: NotifyParams;
  /** The stream's public name, for the log line (params.name may be the stream key). */
  readonly publicName: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export function createPublishDone(options: PublishDoneOptions): (reason: StreamEndReason) => Promise<void> {
  let sent: Promise<void> | null = null;
  return (reason) => {
    sent ??= post(options, reason);
    return sent;
  };
}

async function post({ url, params, publicName, timeoutMs, logger }: PublishDoneOptions, reason: StreamEndReason): Promise<void> {
  if (!url) return;
  const fields = { name: publicName, clientid: params.clientId, reason, key: redactKey(params.name) };
  try {
    const response = await postNotifyForm(url, encodeNotifyForm('publish_done', params), { timeoutMs });
    const level = response.status >= 200 && response.status < 300 ? 'info' : 'warn';
    logger[level]('on_publish_done sent', { ...fields, status: response.status });
  } catch (error) {
    logger.warn('on_publish_done failed', { ...fields, error: error instanceof Error ? error.message : String(error) });
  }
}
