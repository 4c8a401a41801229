import { formatNumber } from '@/lib/format';
import styles from './pager.module.css';

/**
 * Previous/next paging of a server-paged list, with what is shown: "21–40 of 1,234 sites".
 * `page` counts from 1; `shown` is how many items the current page holds.
 */
export function Pager(props: {
  label: string;
  noun: string;
  page: number;
  pageSize: number;
  shown: number;
  total: number;
  onPageChange: (page: number) => void;
}) {
  const { page, total } = props;
  const pages = Math.max(1, Math.ceil(total / props.pageSize));
  const first = (page - 1) * props.pageSize + 1;
  return (
    <nav className={styles.pager} aria-label={props.label}>
      <p role="status">
        {props.shown === 0
          ? `${formatNumber(total)} ${props.noun}`
          : `${formatNumber(first)}–${formatNumber(first + props.shown - 1)} of ${formatNumber(total)} ${props.noun}`}
      </p>
      <div className={styles.buttons}>
        <button
          type="button"
          className="button"
          onClick={() => props.onPageChange(page - 1)}
          disabled={page <= 1}
        >
          Previous
        </button>
        <span className="muted">
          Page {page} of {pages}
        </span>
        <button
          type="button"
          className="button"
          onClick={() => props.onPageChange(page + 1)}
          disabled={page >= pages}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
