import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { getSavedRegistrationMode, registrationEnvOverride } from '@/lib/site-settings/registration';
import { requireAdmin } from '@/lib/session';
import { RegistrationForm } from './registration-form';

export const metadata: Metadata = { title: 'Admin: site settings' };
export const dynamic = 'force-dynamic';

export default async function AdminSettingsPage() {
  await requireAdmin();
  const saved = await getSavedRegistrationMode(getDb());
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Site settings</h2>
      <RegistrationForm saved={saved} forcedByEnv={registrationEnvOverride()} />
    </section>
  );
}
