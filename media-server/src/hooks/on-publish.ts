// on_publish: asks the web app whether a publish may start, before NetStream.Publish.Start is
// sent. nginx-rtmp semantics: 2xx allows; 3xx with a plain Location renames the stream; anything
// else, a timeout or an unreachable server denies (fail closed). An allowed publish comes back
// with its cleanup, `done`, which posts on_publish_done exactly once with the ORIGINAL name/args.
//
// hooks/: on-publish.ts (the decision, the folder's entry point), on-publish-done.ts (the cleanup
// it returns), notify-form.ts (nginx-rtmp's form, posted with fetch). rtmp/server.ts calls in.
import type { Logger } from '../logger.js';
import type { StreamEndReason } from '../media/types.js';
import { encodeNotifyForm, postNotifyForm, type NotifyParams } from './notify-form.js';
import { createPublishDone } from './on-publish-done.js';

/**
 * The answer to "may this publish start?". Same name and shape as the web app's decision on the
 * other side of the callback (lib/rtmp-callbacks): discriminated by `allow`; an allowed decision
 * carries `name`, the public stream name to publish under; a denied one carries `reason`, a
 * readable string that is safe to log. The fields after those are this side's own.
 */
export type PublishDecision =
  | {
      readonly allow: true;
      /** The public name: the requested one, or the 3xx Location. */
      readonly name: string;
      readonly renamed: boolean;
      /** The answer carried `X-OnAir-Record: 1`: record this broadcast (when --record-dir is set). */
      readonly record: boolean;
      /** Why it was allowed, for the decision log line. */
      readonly reason: string;
      /** Posts on_publish_done once; later calls return the first call's promise. */
      readonly done: (reason: StreamEndReason) => Promise<void>;
    }
  | { readonly allow: false; readonly reason: string };

export interface PublishHooks {
  authorize(params: NotifyParams): Promise<PublishDecision>;
}

export interface PublishHooksOptions {
  readonly onPublishUrl?: string;
  readonly onPublishDoneUrl?: string;
  /** Per-request timeout. Default 5000 ms (declared in config.ts). */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** A renamed stream goes into HLS paths: same rule as publish names. */
const renamePattern = /^[A-Za-z0-9_.~-]{1,128}$/;

export function createPublishHooks(options: PublishHooksOptions): PublishHooks {
  const { onPublishUrl, timeoutMs, logger } = options;
  return {
    async authorize(params) {
      const allowAs = (name: string, renamed: boolean, reason: string, record = false): PublishDecision => ({
        allow: true,
        name,
        renamed,
        record,
        reason,
        done: createPublishDone({ url: options.onPublishDoneUrl, params, publicName: name, timeoutMs, logger }),
      });
      if (!onPublishUrl) return allowAs(params.name, false, 'no on_publish configured');
      let response;
      try {
        response = await postNotifyForm(onPublishUrl, encodeNotifyForm('publish', params), { timeoutMs });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        return { allow: false, reason: timedOut ? `on_publish timed out after ${timeoutMs} ms` : `on_publish unreachable: ${describe(error)}` };
      }
      const { status, location, record } = response;
      if (status >= 200 && status < 300) return allowAs(params.name, false, `on_publish answered ${status}`, record);
      if (status >= 300 && status < 400) {
        const target = location?.trim() ?? '';
        if (renamePattern.test(target) && target !== '.' && target !== '..') return allowAs(target, target !== params.name, `on_publish answered ${status} Location ${target}`, record);
        return { allow: false, reason: `on_publish answered ${status} with unusable Location ${JSON.stringify(target.slice(0, 200))}` };
      }
      return { allow: false, reason: `on_publish answered ${status}` };
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
