import type { ReactNode } from 'react';
import Link from 'next/link';
import { requireAdmin } from '@/lib/session';

export const dynamic = 'force-dynamic';

// Each page and action checks the admin again: a layout is not re-run on client navigation.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return (
    <main className="page">
      <h1>Admin</h1>
      <nav aria-label="Admin sections" className="admin-nav">
        <Link href="/admin/users">Users</Link> · <Link href="/admin/channels">Channels</Link> · <Link href="/admin/invites">Invites</Link> ·{' '}
        <Link href="/admin/settings">Site settings</Link>
      </nav>
      {children}
    </main>
  );
}
