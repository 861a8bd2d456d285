// Site-wide recording limits: RECORDINGS_MAX_AGE_DAYS / RECORDINGS_MAX_GB win while set, else the
// admin's site setting, else no limit. 0 means "no limit" in both places.
import type { Db } from '../db';
import type { Env } from '../env';

export const MAX_AGE_SETTING_KEY = 'recordings_max_age_days';
export const MAX_GB_SETTING_KEY = 'recordings_max_gb';

export interface SiteRecordingLimits {
  maxAgeDays: number | null;
  maxGb: number | null;
}

type LimitEnv = Pick<Env, 'RECORDINGS_MAX_AGE_DAYS' | 'RECORDINGS_MAX_GB'>;

const positiveOrNull = (value: number | null | undefined): number | null => (value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? value : null);

/** The admin's saved values (what /admin/settings shows), whatever the env says. */
export async function getSavedRecordingLimits(db: Db): Promise<SiteRecordingLimits> {
  const rows = await db.siteSetting.findMany({ where: { key: { in: [MAX_AGE_SETTING_KEY, MAX_GB_SETTING_KEY] } } });
  const value = (key: string) => {
    const raw = rows.find((row) => row.key === key)?.value;
    return raw === undefined ? null : positiveOrNull(Number(raw));
  };
  return { maxAgeDays: value(MAX_AGE_SETTING_KEY), maxGb: value(MAX_GB_SETTING_KEY) };
}

/** The limits in force: env first, then the saved setting. */
export async function getSiteRecordingLimits(db: Db, env: LimitEnv): Promise<SiteRecordingLimits> {
  const saved = await getSavedRecordingLimits(db);
  return {
    maxAgeDays: env.RECORDINGS_MAX_AGE_DAYS !== undefined ? positiveOrNull(env.RECORDINGS_MAX_AGE_DAYS) : saved.maxAgeDays,
    maxGb: env.RECORDINGS_MAX_GB !== undefined ? positiveOrNull(env.RECORDINGS_MAX_GB) : saved.maxGb,
  };
}

export async function setSavedRecordingLimits(db: Db, limits: SiteRecordingLimits): Promise<void> {
  const entries: Array<[string, number | null]> = [
    [MAX_AGE_SETTING_KEY, limits.maxAgeDays],
    [MAX_GB_SETTING_KEY, limits.maxGb],
  ];
  await db.$transaction(
    entries.map(([key, value]) =>
      db.siteSetting.upsert({ where: { key }, create: { key, value: String(value ?? 0) }, update: { value: String(value ?? 0) } }),
    ),
  );
}
