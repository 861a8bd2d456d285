// Disables or re-enables a channel. A disabled channel cannot publish (on_publish and on_update
// refuse it) and is not shown; disabling also ends a stream it is running now.
import type { Db } from '../db';
import type { ModerationDeps } from './deps';
import { endLiveStream } from './end-live-stream';

export async function setChannelDisabled(db: Db, channelId: string, disabled: boolean, deps?: ModerationDeps): Promise<void> {
  await db.channel.update({ where: { id: channelId }, data: { disabled } });
  if (disabled) await endLiveStream(db, channelId, { reason: 'channel_disabled' }, deps);
}
