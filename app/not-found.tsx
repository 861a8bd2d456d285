// The 404 page for unknown channels (`notFound()` in app/[slug]/page.tsx) and any unknown URL.
import Link from 'next/link';
import styles from './not-found.module.css';

export const metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <main className={styles.page}>
      <p className={styles.code}>404</p>
      <h1 className={styles.title}>Nothing on this channel</h1>
      <p className={styles.text}>There is no channel or page at this address. It may have been renamed or never existed.</p>
      <Link href="/" className={styles.home}>
        See who is live
      </Link>
    </main>
  );
}
