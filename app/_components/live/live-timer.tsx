'use client';

import { formatDuration } from './format';
import styles from './live.module.css';
import { useNow } from './use-now';

/** How long the channel has been live, ticking every second. */
export function LiveTimer({ since, renderedAt }: { since: string; renderedAt: number }) {
  const now = useNow(renderedAt);
  const elapsed = formatDuration(now - new Date(since).getTime());
  return (
    // The title is in the viewer's time zone, which the server cannot know: let it differ.
    <span className={styles.figure} title={`Live since ${new Date(since).toLocaleString('en-US')}`} suppressHydrationWarning>
      <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
        <circle cx="12" cy="12" r="9" />
        <path d="M12 7v5l3 2" />
      </svg>
      <time dateTime={since} aria-label={`Live for ${elapsed}`}>
        {elapsed}
      </time>
    </span>
  );
}
