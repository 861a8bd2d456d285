// on_play: asks the web app whether a player may watch, after the media server found the stream
// live and before NetStream.Play.Start. nginx-rtmp semantics: 2xx allows; anything else (3xx
// included: we pull from no other server), a timeout or an unreachable server refuses (fail
// closed). An allowed play comes back with its cleanup, `done`, which posts on_play_done exactly
// once, however the play ends.
import type { Logger } from '../logger.js';
import { encodeNotifyForm, postNotifyForm, type NotifyParams, type PlayFields } from './notify-form.js';
import { createPlayDone } from './on-play-done.js';

export type PlayDecision =
  | {
      readonly allow: true;
      /** Why it was allowed, for the log line. */
      readonly reason: string;
      /** Posts on_play_done once; later calls return the first call's promise. */
      readonly done: (reason: string) => Promise<void>;
    }
  | { readonly allow: false; readonly reason: string };

export interface PlayHooks {
  authorize(params: NotifyParams, play: PlayFields): Promise<PlayDecision>;
}

export interface PlayHooksOptions {
  /** Absent: every play of a live stream is allowed (watching is public, as in nginx-rtmp without on_play). */
  readonly onPlayUrl?: string;
  readonly onPlayDoneUrl?: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export function createPlayHooks(options: PlayHooksOptions): PlayHooks {
  const { onPlayUrl, timeoutMs, logger } = options;
  return {
    async authorize(params, play) {
      const allow = (reason: string): PlayDecision => ({
        allow: true,
        reason,
        done: createPlayDone({ url: options.onPlayDoneUrl, params, timeoutMs, logger }),
      });
      if (!onPlayUrl) return allow('no on_play configured');
      let status: number;
      try {
        status = (await postNotifyForm(onPlayUrl, encodeNotifyForm('play', params, play), { timeoutMs })).status;
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        return { allow: false, reason: timedOut ? `on_play timed out after ${timeoutMs} ms` : `on_play unreachable: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (status >= 200 && status < 300) return allow(`on_play answered ${status}`);
      return { allow: false, reason: `on_play answered ${status}` };
    },
  };
}
