// Everything a callback route does, in order: check the `?secret=`, read a bounded body, parse the
// nginx-rtmp form, decide, answer. Route handlers (app/api/rtmp/*) only pass the request in.
//
// lib/rtmp-callbacks, one step per file:
//   callback-secret.ts   the constant-time `?secret=` check
//   types.ts             PublishCallback (the parsed callback), its bounds, CallbackParseError
//   parse-callback.ts    content type check -> parse-nginx-rtmp.ts (the notify form, the only one spoken)
//   authorize-publish.ts on_publish -> PublishDecision (same shape as the media server's)
//   end-publish.ts       on_publish_done;  heartbeat.ts  on_update
//   authorize-play.ts    on_play (a live, enabled channel by slug; counts the player) and on_play_done
//   respond.ts           decision -> HTTP answer (200 / 302 rename / 403);  nginx-relay.ts  the 302 relay
//   reconcile.ts         closes sessions the media server lost;  reconciler.ts  runs it on a timer
//   context.ts           the production wiring (database, clock, logger, media server)
import { RECORD_HEADER } from '../recordings/record-decision';
import { readBoundedBody } from '../read-bounded-body';
import type { RtmpPlayers } from '../live/rtmp-players';
import { authorizePlay, endPlay } from './authorize-play';
import { authorizePublish, logContext, type AuthorizeDeps } from './authorize-publish';
import { verifyCallbackSecret } from './callback-secret';
import { endPublish } from './end-publish';
import { heartbeat } from './heartbeat';
import { nginxRelayAnswer } from './nginx-relay';
import { parseCallback } from './parse-callback';
import { allowAnswer, answerPublish, denyAnswer, type CallbackAnswer } from './respond';
import { CallbackParseError, MAX_CALLBACK_BODY_BYTES, type PublishCallback } from './types';

export interface CallbackContext extends AuthorizeDeps {
  callbackSecret: string | undefined;
  /**
   * nginx-rtmp mode with the shipped nginx.conf (NGINX_RTMP_RELAY_URL): accepted nginx-rtmp
   * publishes are answered with a relay to the internal HLS app instead of a rename/200
   * (lib/rtmp-callbacks/nginx-relay.ts explains why).
   */
  nginxRelayUrl?: string | undefined;
  /**
   * nginx-rtmp mode WITHOUT the relay: nginx-rtmp's 302 rename does not rename its HLS output, so
   * form (a) (the key as the stream name) would write the key into HLS file names that viewers
   * load. Refuse it; the dashboard tells streamers to paste `<slug>?key=<key>` in this mode.
   */
  refuseKeyAsName?: boolean;
  /** Past broadcasts: whether an allowed publish is recorded (lib/recordings/record-decision.ts). */
  shouldRecord?: (channelId: string) => Promise<boolean>;
  /** Where RTMP players count as viewers (lib/live/runtime.ts); absent: plays are decided but not counted. */
  players?: RtmpPlayers;
}

/** Why form (a) is refused when refuseKeyAsName is set; shown in nginx's log and to the operator. */
export const KEY_AS_NAME_REFUSED =
  'this media server cannot rename its HLS output: publish as <channel>?key=<stream key> (or set NGINX_RTMP_RELAY_URL)';

export async function handleCallback(request: Request, context: CallbackContext): Promise<CallbackAnswer> {
  const secret = new URL(request.url).searchParams.get('secret');
  if (!context.callbackSecret) {
    context.logger.warn('callback_refused', { reason: 'RTMP_CALLBACK_SECRET is not configured' });
    return denyAnswer('callback secret not configured on the server');
  }
  if (!verifyCallbackSecret(secret, context.callbackSecret)) {
    context.logger.warn('callback_refused', { reason: secret === null ? 'missing secret' : 'wrong secret' });
    return denyAnswer('bad callback secret');
  }

  let callback: PublishCallback;
  try {
    const body = await readBody(request, MAX_CALLBACK_BODY_BYTES);
    callback = parseCallback(request.headers.get('content-type'), body);
  } catch (error) {
    if (!(error instanceof CallbackParseError)) throw error;
    context.logger.warn('callback_malformed', { reason: error.message });
    return { ...denyAnswer(`malformed callback: ${error.message}`), status: 400 };
  }

  switch (callback.kind) {
    case 'publish': {
      if (context.refuseKeyAsName && callback.args.key === undefined) {
        context.logger.warn('publish_denied', { reason: 'key_as_name_without_rename', ...logContext(callback) });
        return denyAnswer(KEY_AS_NAME_REFUSED);
      }
      const decision = await authorizePublish(context, callback);
      const relay = context.nginxRelayUrl ? nginxRelayAnswer(decision, context.nginxRelayUrl) : null;
      const answer = relay ?? answerPublish(decision);
      // nginx-rtmp ignores the header; the bundled media server records only when it says 1.
      if (decision.allow && context.shouldRecord && (await context.shouldRecord(decision.channelId))) {
        return { ...answer, headers: { ...answer.headers, [RECORD_HEADER]: '1' } };
      }
      return answer;
    }
    case 'publish_done': {
      const ended = await endPublish(context, callback);
      if (ended.channelId !== undefined) context.players?.leaveChannel(ended.channelId);
      return allowAnswer();
    }
    case 'play': {
      const decision = await authorizePlay(context, callback);
      return decision.allow ? allowAnswer() : denyAnswer(decision.reason);
    }
    case 'play_done':
      endPlay(context, callback);
      return allowAnswer();
    case 'update': {
      const decision = await heartbeat(context, callback);
      return decision.alive ? allowAnswer() : denyAnswer(decision.reason);
    }
    case 'other':
      // update_play and other calls nobody configures: nothing to decide.
      return allowAnswer();
  }
}

/** Reads at most `limit` bytes; a longer body is a CallbackParseError, not a memory problem. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new CallbackParseError(`body larger than ${limit} bytes`);
  const text = await readBoundedBody(request.body, limit);
  if (text === null) throw new CallbackParseError(`body larger than ${limit} bytes`);
  return text;
}
