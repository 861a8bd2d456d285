// Whether an accepted publish is recorded (CONTRACT-15 items 1 and 4): the channel records, this
// server keeps recordings, and RECORD_DIR has at least RECORDINGS_MIN_FREE_GB free. A low-disk
// refusal is remembered on the channel for the dashboard's notice; a recorded start clears it.
import type { Clock } from '../clock';
import type { Db } from '../db';
import { errorMessage, type Logger } from '../logger';
import { hasRoomToRecord } from './disk';

/** The on_publish answer's header (absent or 0 = do not record). */
export const RECORD_HEADER = 'X-OnAir-Record';

export interface RecordDecisionDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  recordDir: string | undefined;
  minFreeGb: number;
  /** statfs, injectable for tests. */
  hasRoom?: (dir: string, minFreeGb: number) => Promise<boolean>;
}

export async function shouldRecord(deps: RecordDecisionDeps, channelId: string): Promise<boolean> {
  if (!deps.recordDir) return false;
  const channel = await deps.db.channel.findUnique({ where: { id: channelId }, select: { recordBroadcasts: true, recordingLowDiskAt: true } });
  if (!channel?.recordBroadcasts) return false;
  let room: boolean;
  try {
    room = await (deps.hasRoom ?? hasRoomToRecord)(deps.recordDir, deps.minFreeGb);
  } catch (error) {
    // Cannot tell: not recording keeps the stream going and the disk safe.
    deps.logger.warn('record_dir_unusable', { error: errorMessage(error) });
    room = false;
  }
  if (!room) {
    await deps.db.channel.update({ where: { id: channelId }, data: { recordingLowDiskAt: new Date(deps.clock.now()) } });
    deps.logger.warn('recording_skipped_low_disk', { channelId });
    return false;
  }
  if (channel.recordingLowDiskAt !== null) await deps.db.channel.update({ where: { id: channelId }, data: { recordingLowDiskAt: null } });
  return true;
}
