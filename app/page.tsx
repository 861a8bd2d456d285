// / — the directory: who is live now (newest first), an empty state when nobody is, and the
// channels that were live recently. Rendered with the current state, then kept live by SSE.
import { LiveDirectory } from './_components/live/live-directory';
import { getLiveRuntime } from '@/lib/live/runtime';
import styles from './page.module.css';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const snapshot = await getLiveRuntime().hub.directory();
  return (
    <main className={styles.page}>
      <div className={styles.content}>
        <LiveDirectory initial={snapshot} renderedAt={Date.now()} />
      </div>
    </main>
  );
}
