'use client';

import { formatRelative } from './format';
import { useNow } from './use-now';

/** "5 minutes ago", kept current once a minute. */
export function RelativeTime({ date, renderedAt }: { date: string; renderedAt: number }) {
  const now = useNow(renderedAt, 60_000);
  return (
    <time dateTime={date} title={new Date(date).toLocaleString('en-US')}>
      {formatRelative(new Date(date), new Date(now))}
    </time>
  );
}
