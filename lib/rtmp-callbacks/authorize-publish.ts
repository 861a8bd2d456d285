// The publish decision: between "publish requested" and "publish accepted" (STYLE rule 10).
// Two ways to present a key, both supported:
//   (a) name = the secret key               -> allow and rename the stream to the channel slug
//   (b) name = channel slug, args.key = key -> allow under the slug
// In form (b) the name must be the slug exactly (slugs are lowercase): the media server publishes
// under the name as sent, so `ALICE?key=...` would play under a name whose page does not exist.
// Refused too: a disabled channel, a disabled owner, a channel kicked within its cooldown
// (publishBlockedUntil). One indexed lookup by SHA-256; no scrypt here.
import type { Clock } from '../clock';
import type { Db } from '../db';
import type { Channel } from '../generated/sqlite/client';
import type { Logger } from '../logger';
import { hashStreamKey, isWellFormedStreamKey } from '../stream-keys';
import type { PublishCallback } from './types';

/** Why a publish was refused, as a code (tests and log lines key on it). */
export type DenyCode =
  | 'missing_key'
  | 'malformed_key'
  | 'unknown_key'
  | 'wrong_channel'
  | 'name_not_lowercase'
  | 'channel_disabled'
  | 'owner_disabled'
  | 'publish_blocked'
  | 'already_live';

/**
 * The publish decision, same name and shape as the media server's (media-server/src/hooks/on-publish.ts):
 * discriminated by `allow`; allowed carries the public stream `name`, denied a readable `reason`.
 */
export type PublishDecision =
  | {
      allow: true;
      /** The public stream name the media server publishes under: the channel slug. */
      name: string;
      /** `key-as-name` is form (a): the media server should rename the stream to `name`. */
      form: 'key-as-name' | 'key-arg';
      channelId: string;
      sessionId: string;
    }
  | { allow: false; /** Readable, safe to log and to show the publisher. */ reason: string; code: DenyCode };

const REASONS: Record<DenyCode, string> = {
  missing_key: 'no stream key',
  malformed_key: 'malformed stream key',
  unknown_key: 'unknown or reset stream key',
  wrong_channel: 'stream key does not belong to this channel',
  name_not_lowercase: 'publish as <channel>?key=<stream key> with the channel name in lowercase',
  channel_disabled: 'channel is disabled',
  owner_disabled: 'account is disabled',
  publish_blocked: 'channel was stopped by an admin; publishing is blocked for a few minutes',
  already_live: 'channel is already live',
};

const CHANNEL_FIELDS = { id: true, slug: true, disabled: true, publishBlockedUntil: true, user: { select: { disabledAt: true } } } as const;
type ChannelFields = Pick<Channel, 'id' | 'slug' | 'disabled' | 'publishBlockedUntil'> & { user: { disabledAt: Date | null } };

export interface AuthorizeDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * Asks the media server whether a stream is really being published (bundled server: its
   * /api/streams list). `null` means "cannot tell" (nginx-rtmp has no such list).
   */
  isStreamLive?: (app: string, names: readonly string[]) => Promise<boolean | null>;
}

/** Where the key came from, and which channel the publisher asked for. */
function presentedKey(callback: PublishCallback): { form: 'key-as-name' | 'key-arg'; key: string; slug: string | null } {
  const argKey = callback.args.key;
  if (argKey !== undefined) return { form: 'key-arg', key: argKey, slug: callback.name };
  return { form: 'key-as-name', key: callback.name, slug: null };
}

function deny(deps: AuthorizeDeps, callback: PublishCallback, code: DenyCode, slug: string | null): PublishDecision {
  // A streamer who pasted `<key>?key=<key>` sent the key as the name: never log that.
  const loggedSlug = slug !== null && isWellFormedStreamKey(slug) ? '(a stream key)' : slug?.slice(0, 64) ?? null;
  deps.logger.warn('publish_denied', { reason: code, slug: loggedSlug, ...logContext(callback) });
  return { allow: false, reason: REASONS[code], code };
}

/** What may be logged about a callback: never the name in form (a), never args.key. */
export function logContext(callback: PublishCallback): Record<string, string> {
  return {
    app: callback.app,
    addr: callback.addr,
    clientId: callback.clientId,
    form: callback.args.key !== undefined ? 'key-arg' : 'key-as-name',
  };
}

export async function authorizePublish(deps: AuthorizeDeps, callback: PublishCallback): Promise<PublishDecision> {
  const { form, key, slug } = presentedKey(callback);
  if (key === '') return deny(deps, callback, 'missing_key', slug);
  if (!isWellFormedStreamKey(key)) return deny(deps, callback, 'malformed_key', slug);

  // Only the columns the decision needs: this lookup is on every publish's path.
  const channel = await deps.db.channel.findUnique({ where: { streamKeyHash: hashStreamKey(key) }, select: CHANNEL_FIELDS });
  if (!channel) return deny(deps, callback, 'unknown_key', slug);
  if (slug !== null && channel.slug !== slug) {
    return deny(deps, callback, channel.slug === slug.toLowerCase() ? 'name_not_lowercase' : 'wrong_channel', slug);
  }
  const refusal = standingRefusal(channel, new Date(deps.clock.now()));
  if (refusal !== null) return deny(deps, callback, refusal, channel.slug);

  let sessionId = await openSession(deps, channel, callback);
  if (sessionId === null && (await clearStaleLive(deps, channel))) sessionId = await openSession(deps, channel, callback);
  if (sessionId === null) return deny(deps, callback, 'already_live', channel.slug);

  deps.logger.info('publish_allowed', { slug: channel.slug, sessionId, ...logContext(callback) });
  return { allow: true, name: channel.slug, form, channelId: channel.id, sessionId };
}

/** Why this channel may not publish at all right now, whoever asks; null when it may. */
export function standingRefusal(
  channel: { disabled: boolean; publishBlockedUntil: Date | null; user: { disabledAt: Date | null } },
  now: Date,
): 'channel_disabled' | 'owner_disabled' | 'publish_blocked' | null {
  if (channel.disabled) return 'channel_disabled';
  if (channel.user.disabledAt !== null) return 'owner_disabled';
  if (channel.publishBlockedUntil !== null && channel.publishBlockedUntil > now) return 'publish_blocked';
  return null;
}

/**
 * Flips the channel to live and opens its StreamSession in one statement batch (a nested write,
 * which Prisma runs as one transaction). The conditional where (`isLive: false`) makes two
 * simultaneous publishes race safely: one wins, the other finds no row (P2025) and gets null.
 */
async function openSession(deps: AuthorizeDeps, channel: ChannelFields, callback: PublishCallback): Promise<string | null> {
  const now = new Date(deps.clock.now());
  const clientId = callback.clientId.slice(0, 128);
  try {
    const updated = await deps.db.channel.update({
      // The refusals are repeated in the conditional where, so a kick or a disable landing between
      // the check above and this write still wins.
      where: {
        id: channel.id,
        isLive: false,
        disabled: false,
        user: { disabledAt: null },
        OR: [{ publishBlockedUntil: null }, { publishBlockedUntil: { lte: now } }],
      },
      data: {
        isLive: true,
        liveSince: now,
        lastLiveAt: now,
        sessions: {
          create: {
            startedAt: now,
            // The heartbeat starts here; nginx-rtmp's on_update refreshes it (lib/rtmp-callbacks/heartbeat.ts).
            lastSeenAt: now,
            publisherAddr: callback.addr.slice(0, 128),
            publisherSoftware: callback.flashVer.slice(0, 256),
            clientId,
            app: callback.app.slice(0, 128),
            // The public name the stream is known by. In form (a) the published name is the key,
            // which is never stored; publish_done finds that session by the key's hash instead.
            streamName: channel.slug,
          },
        },
      },
      select: { sessions: { where: { endedAt: null, clientId, startedAt: now }, select: { id: true }, orderBy: { startedAt: 'desc' }, take: 1 } },
    });
    return updated.sessions[0]?.id ?? null;
  } catch (error) {
    if (isRecordNotFound(error)) return null;
    throw error;
  }
}

/** Prisma's P2025: the conditional where matched no row (here: the channel is already live). */
function isRecordNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2025';
}

/**
 * The channel is marked live. When the media server can tell that nothing is being published
 * under it (a lost publish_done, a media server restart), close the stale session(s) and report
 * true so the new publish may proceed. When it cannot tell, the channel stays live: refusing a
 * second publisher is the safe side, and start-up reconciliation clears real leftovers.
 */
async function clearStaleLive(deps: AuthorizeDeps, channel: ChannelFields): Promise<boolean> {
  const open = await deps.db.streamSession.findMany({ where: { channelId: channel.id, endedAt: null }, select: { app: true, streamName: true } });
  let stale = open.length === 0;
  if (!stale && deps.isStreamLive) {
    const apps = [...new Set(open.map((s) => s.app))];
    const names = [...new Set([channel.slug, ...open.map((s) => s.streamName)])];
    const live = await Promise.all(apps.map((app) => deps.isStreamLive?.(app, names) ?? Promise.resolve(null)));
    stale = live.every((value) => value === false);
  }
  if (!stale) return false;
  const now = new Date(deps.clock.now());
  await deps.db.$transaction([
    deps.db.streamSession.updateMany({ where: { channelId: channel.id, endedAt: null }, data: { endedAt: now, endReason: 'reconciled' } }),
    deps.db.channel.updateMany({ where: { id: channel.id }, data: { isLive: false, liveSince: null } }),
  ]);
  deps.logger.warn('stale_live_cleared', { slug: channel.slug, closedSessions: open.length });
  return true;
}
