// A channel's past broadcasts, under its player: newest first, paged with `?page=N` (1-based).
// Others see the public ones; the owner sees all, marked unlisted/private.
import { formatDuration } from '@/app/_components/live/format';
import type { BroadcastListItem } from '@/lib/recordings/access';
import styles from './broadcasts.module.css';

export function PastBroadcasts({ slug, items, page, hasMore }: { slug: string; items: BroadcastListItem[]; page: number; hasMore: boolean }) {
  if (items.length === 0 && page === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="past-broadcasts-heading">
      <h2 id="past-broadcasts-heading">Past broadcasts</h2>
      <ul className={styles.grid}>
        {items.map((item) => (
          <li key={item.id} className={styles.card}>
            <a href={`/${slug}/videos/${item.id}`}>
              {item.hasThumbnail ? (
                // eslint-disable-next-line @next/next/no-img-element -- a tiny JPEG from our own route; next/image would proxy it again
                <img className={styles.thumb} src={`/api/broadcasts/${item.id}/thumbnail`} alt="" loading="lazy" />
              ) : (
                <div className={styles.thumb} aria-hidden="true" />
              )}
              <p className={styles.cardTitle}>{item.title}</p>
              <p className="muted">
                <time dateTime={item.startedAt.toISOString()}>{item.startedAt.toISOString().slice(0, 10)}</time> · {formatDuration(item.durationMs)}
                {item.visibility !== 'public' && <> · {item.visibility}</>}
              </p>
            </a>
          </li>
        ))}
      </ul>
      <nav className={styles.pager} aria-label="Past broadcasts pages">
        {page > 0 && <a href={`/${slug}?page=${page}`}>Newer</a>}
        {hasMore && <a href={`/${slug}?page=${page + 2}`}>Older</a>}
      </nav>
    </section>
  );
}
