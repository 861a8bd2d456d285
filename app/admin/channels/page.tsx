import type { Metadata } from 'next';
import { OperationButtons, type Operation } from '@/app/admin/_components/operation-buttons';
import { channelOperationAction } from '@/lib/actions/admin';
import { getDb } from '@/lib/db';
import { requireAdmin } from '@/lib/session';

export const metadata: Metadata = { title: 'Admin: channels' };
export const dynamic = 'force-dynamic';

const CHANNEL_LIST_LIMIT = 200;

export default async function AdminChannelsPage() {
  await requireAdmin();
  const now = new Date();
  const channels = await getDb().channel.findMany({
    orderBy: [{ isLive: 'desc' }, { lastLiveAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
    take: CHANNEL_LIST_LIMIT,
    select: { id: true, slug: true, title: true, isLive: true, liveSince: true, disabled: true, publishBlockedUntil: true, user: { select: { username: true } } },
  });
  const live = channels.filter((channel) => channel.isLive).length;
  return (
    <section className="panel" aria-labelledby="channels-heading">
      <h2 id="channels-heading">Channels</h2>
      <p className="muted">{live === 0 ? 'Nothing is live right now.' : `${live} live now.`}</p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Owner</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => {
            const blocked = channel.publishBlockedUntil !== null && channel.publishBlockedUntil > now;
            const operations: Operation[] = [];
            if (channel.isLive) operations.push({ op: 'kick', label: `Kick ${channel.slug}`, danger: true });
            if (blocked) operations.push({ op: 'lift-block', label: `Lift block on ${channel.slug}` });
            operations.push(channel.disabled ? { op: 'enable', label: `Enable ${channel.slug}` } : { op: 'disable', label: `Disable ${channel.slug}`, danger: true });
            const status = [
              channel.isLive ? `live since ${channel.liveSince?.toISOString().slice(11, 16) ?? '?'} UTC` : 'offline',
              channel.disabled ? 'disabled' : null,
              blocked ? `blocked until ${channel.publishBlockedUntil?.toISOString().slice(11, 19)} UTC` : null,
            ];
            return (
              <tr key={channel.id}>
                <th scope="row">
                  <a href={`/${channel.slug}`}>{channel.slug}</a>
                </th>
                <td>{channel.user.username}</td>
                <td>{status.filter(Boolean).join(', ')}</td>
                <td>
                  <OperationButtons label={`Manage channel ${channel.slug}`} action={channelOperationAction} hidden={{ channelId: channel.id }} operations={operations} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
