// on_play_done: tells the web app an allowed play ended (the player left, the stream ended, the
// player fell too far behind). Same form as on_play with call=play_done and without start/
// duration/reset, as nginx-rtmp sends it. Posted once; failures are logged, never retried.
import type { Logger } from '../logger.js';
import { encodeNotifyForm, postNotifyForm, type NotifyParams } from './notify-form.js';

export interface PlayDoneOptions {
  readonly url: string | undefined;
  readonly params: NotifyParams;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export function createPlayDone(options: PlayDoneOptions): (reason: string) => Promise<void> {
  let sent: Promise<void> | null = null;
  return (reason) => {
    sent ??= post(options, reason);
    return sent;
  };
}

async function post({ url, params, timeoutMs, logger }: PlayDoneOptions, reason: string): Promise<void> {
  if (!url) return;
  // A play's name is a public name (only live public names are played), safe to log.
  const fields = { name: params.name, clientid: params.clientId, reason };
  try {
    const response = await postNotifyForm(url, encodeNotifyForm('play_done', params), { timeoutMs });
    const level = response.status >= 200 && response.status < 300 ? 'info' : 'warn';
    logger[level]('on_play_done sent', { ...fields, status: response.status });
  } catch (error) {
    logger.warn('on_play_done failed', { ...fields, error: error instanceof Error ? error.message : String(error) });
  }
}
