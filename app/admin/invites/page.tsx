import type { Metadata } from 'next';
import { OperationButtons } from '@/app/admin/_components/operation-buttons';
import { revokeInviteAction } from '@/lib/actions/admin';
import { inviteStatus, listInvites } from '@/lib/accounts/invites';
import { getDb } from '@/lib/db';
import { getRegistrationMode } from '@/lib/site-settings/registration';
import { requireAdmin } from '@/lib/session';
import { InviteForm } from './invite-form';

export const metadata: Metadata = { title: 'Admin: invites' };
export const dynamic = 'force-dynamic';

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export default async function AdminInvitesPage() {
  await requireAdmin();
  const db = getDb();
  const [invites, mode] = await Promise.all([listInvites(db), getRegistrationMode(db)]);
  const now = new Date();
  return (
    <section className="panel" aria-labelledby="invites-heading">
      <h2 id="invites-heading">Invites</h2>
      <p className="muted">
        An invite link creates one account. Registration is <strong>{mode}</strong>
        {mode === 'invite' ? '.' : mode === 'open' ? ': anyone may sign up, invites are not needed.' : ': invite links are refused too.'}
      </p>
      <InviteForm />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">By</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {invites.map((invite) => {
            const status = inviteStatus(invite, now);
            return (
              <tr key={invite.id}>
                <td>{utc(invite.createdAt)}</td>
                <td>{invite.createdBy?.username ?? '(deleted)'}</td>
                <td>{utc(invite.expiresAt)}</td>
                <td>{status === 'used' ? `used by ${invite.usedBy ?? '?'}` : status}</td>
                <td>
                  {status === 'used' ? null : (
                    <OperationButtons
                      label={`Invite created ${utc(invite.createdAt)}`}
                      action={revokeInviteAction}
                      hidden={{ inviteId: invite.id }}
                      operations={[{ op: 'revoke', label: status === 'expired' ? 'Remove' : 'Revoke', danger: true }]}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
