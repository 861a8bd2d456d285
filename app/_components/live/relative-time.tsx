'use client';

import { formatRelative } from './format';
import { useNow } from './use-now';

/** "5 minutes ago", kept current once a minute. */
export function RelativeTime({ date, renderedAt }: { date: string; renderedAt: number }) {
  const now = useNow(renderedAt, 60_000);
  return (
    // The title is in the viewer's time zone, which the server cannot know: let it differ.
    <time dateTime={date} title={new Date(date).toLocaleString('en-US')} suppressHydrationWarning>
      {formatRelative(new Date(date), new Date(now))}
    </time>
  );
}
