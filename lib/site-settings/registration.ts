// Who may create an account: `open` (anyone), `invite` (an admin's invite link), `closed`.
// REGISTRATION in the environment wins while it is set; else the admin's site setting.
import type { Db } from '../db';
import { getEnv } from '../env';

export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];
export const DEFAULT_REGISTRATION_MODE: RegistrationMode = 'invite';
export const REGISTRATION_SETTING_KEY = 'registration';

export function isRegistrationMode(value: unknown): value is RegistrationMode {
  return typeof value === 'string' && (REGISTRATION_MODES as readonly string[]).includes(value);
}

/** The mode REGISTRATION forces, if set (the site setting is then ignored). */
export function registrationEnvOverride(): RegistrationMode | undefined {
  return getEnv().REGISTRATION;
}

export async function getRegistrationMode(db: Db, envMode: RegistrationMode | undefined = registrationEnvOverride()): Promise<RegistrationMode> {
  return envMode ?? getSavedRegistrationMode(db);
}

/** The admin's setting (what /admin/settings shows), whatever REGISTRATION says. */
export async function getSavedRegistrationMode(db: Db): Promise<RegistrationMode> {
  const row = await db.siteSetting.findUnique({ where: { key: REGISTRATION_SETTING_KEY }, select: { value: true } });
  return isRegistrationMode(row?.value) ? row.value : DEFAULT_REGISTRATION_MODE;
}

export async function setRegistrationMode(db: Db, mode: RegistrationMode): Promise<void> {
  await db.siteSetting.upsert({
    where: { key: REGISTRATION_SETTING_KEY },
    create: { key: REGISTRATION_SETTING_KEY, value: mode },
    update: { value: mode },
  });
}
