import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getSavedRecordingLimits } from '@/lib/recordings/settings';
import { getSavedRegistrationMode, registrationEnvOverride } from '@/lib/site-settings/registration';
import { requireAdmin } from '@/lib/session';
import { RecordingLimitsForm } from './recording-limits-form';
import { RegistrationForm } from './registration-form';

export const metadata: Metadata = { title: 'Admin: site settings' };
export const dynamic = 'force-dynamic';

export default async function AdminSettingsPage() {
  await requireAdmin();
  const saved = await getSavedRegistrationMode(getDb());
  const limits = await getSavedRecordingLimits(getDb());
  const env = getEnv();
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Site settings</h2>
      <RegistrationForm saved={saved} forcedByEnv={registrationEnvOverride()} />
      <h3>Past broadcasts</h3>
      <RecordingLimitsForm
        maxAgeDays={limits.maxAgeDays === null ? '' : String(limits.maxAgeDays)}
        maxGb={limits.maxGb === null ? '' : String(limits.maxGb)}
        envAgeDays={env.RECORDINGS_MAX_AGE_DAYS}
        envGb={env.RECORDINGS_MAX_GB}
      />
    </section>
  );
}
