import styles from './loading.module.css';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className={styles.loading}>
      {label}
    </p>
  );
}
