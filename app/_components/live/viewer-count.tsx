import { formatViewers } from './format';
import styles from './live.module.css';

/** Current viewers with an eye icon; `data-viewers` carries the number for scripts and tests. */
export function ViewerCount({ count }: { count: number }) {
  return (
    <span className={styles.figure} data-viewers={count} title="People watching now">
      <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" />
        <circle cx="12" cy="12" r="3" />
      </svg>
      {formatViewers(count)}
    </span>
  );
}
