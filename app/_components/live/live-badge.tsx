import styles from './live.module.css';

/** The red LIVE tag (or a grey OFFLINE one). */
export function LiveBadge({ live = true }: { live?: boolean }) {
  return <span className={live ? styles.badge : `${styles.badge} ${styles.offline}`}>{live ? 'Live' : 'Offline'}</span>;
}
