import type { Metadata } from 'next';
import { OperationButtons, type Operation } from '@/app/admin/_components/operation-buttons';
import { userOperationAction } from '@/lib/actions/admin';
import { searchUsers, USER_SEARCH_LIMIT } from '@/lib/admin/users';
import { getDb } from '@/lib/db';
import { requireAdmin } from '@/lib/session';

export const metadata: Metadata = { title: 'Admin: users' };
export const dynamic = 'force-dynamic';

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const { q } = await searchParams;
  const query = typeof q === 'string' ? q.slice(0, 30) : '';
  const users = await searchUsers(getDb(), query);
  return (
    <section className="panel" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <form role="search" method="get" action="/admin/users" className="row-actions">
        <label htmlFor="user-search">Search by name</label>
        <input id="user-search" name="q" className="input" defaultValue={query} maxLength={30} />
        <button type="submit" className="button button-small">
          Search
        </button>
      </form>
      <p className="muted">
        {users.length === 0 ? 'No users match.' : `${users.length} user${users.length === 1 ? '' : 's'}${users.length === USER_SEARCH_LIMIT ? ' (the newest; narrow the search)' : ''}.`}
      </p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Status</th>
            <th scope="col">Joined</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === admin.id;
            const operations: Operation[] = [];
            if (!self) operations.push(user.disabledAt ? { op: 'enable', label: `Enable ${user.username}` } : { op: 'disable', label: `Disable ${user.username}`, danger: true });
            else if (user.disabledAt) operations.push({ op: 'enable', label: `Enable ${user.username}` });
            if (!user.isAdmin) operations.push({ op: 'grant-admin', label: `Make ${user.username} admin` });
            else if (!self) operations.push({ op: 'revoke-admin', label: `Remove admin from ${user.username}` });
            if (!self) operations.push({ op: 'delete', label: `Delete ${user.username}`, danger: true });
            return (
              <tr key={user.id}>
                <th scope="row">
                  {user.channel ? <a href={`/${user.channel.slug}`}>{user.username}</a> : user.username}
                  {self ? ' (you)' : ''}
                </th>
                <td>
                  {[user.isAdmin ? 'admin' : null, user.disabledAt ? 'disabled' : 'active', user.channel?.isLive ? 'live now' : null].filter(Boolean).join(', ')}
                </td>
                <td>{user.createdAt.toISOString().slice(0, 10)}</td>
                <td>
                  <OperationButtons label={`Manage ${user.username}`} action={userOperationAction} hidden={{ userId: user.id }} operations={operations} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
